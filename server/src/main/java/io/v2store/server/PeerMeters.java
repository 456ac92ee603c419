package io.v2store.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * etcd's etcd_network_peer_* series, by peer (member id in hex, labels To and From as etcd's):
 * bytes of Raft messages sent and received, sends that failed (a peer unreachable), and the round
 * trip of the leader's appends and heartbeats to each follower, as a histogram with etcd's buckets
 * (0.1 ms doubling to 0.8192 s), which its "member communication slow" alert reads. Meters are made
 * once per peer.
 */
final class PeerMeters {
  private final MeterRegistry registry;
  private final Map<Long, Peer> peers = new ConcurrentHashMap<>();

  PeerMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void sent(long to, long bytes) {
    peer(to).sentBytes.increment(bytes);
  }

  void received(long from, long bytes) {
    peer(from).receivedBytes.increment(bytes);
  }

  void sendFailed(long to) {
    peer(to).sendFailures.increment();
  }

  void roundTrip(long to, long nanos) {
    peer(to).roundTrip.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Peer peer(long id) {
    return peers.computeIfAbsent(id, Peer::new);
  }

  private final class Peer {
    final Counter sentBytes;
    final Counter receivedBytes;
    final Counter sendFailures;
    final Timer roundTrip;

    Peer(long id) {
      String hex = Long.toHexString(id);
      sentBytes = Counter.builder("etcd_network_peer_sent_bytes").tag("To", hex)
          .description("The total number of bytes sent to peers.").register(registry);
      receivedBytes = Counter.builder("etcd_network_peer_received_bytes").tag("From", hex)
          .description("The total number of bytes received from peers.").register(registry);
      sendFailures = Counter.builder("etcd_network_peer_sent_failures").tag("To", hex)
          .description("The total number of send failures from peers.").register(registry);
      roundTrip = Timer.builder("etcd_network_peer_round_trip_time").tag("To", hex)
          .description("Round-Trip-Time histogram between peers (here: the leader's appends and "
              + "heartbeats to each follower).")
          .serviceLevelObjectives(MemberMetrics.etcdBuckets(100_000L, 14)).register(registry);
    }
  }
}
