package io.v2store.server;

import io.v2store.http.LeaderStats;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What /v2/stats/self and /v2/stats/leader report, measured beside the transport: append
 * requests sent and received, and per follower the round trip of heartbeats and appends (one
 * outstanding probe at a time), successes and failures.
 */
final class PeerStats {
  private final AtomicLong sendAppendRequests = new AtomicLong();
  private final AtomicLong recvAppendRequests = new AtomicLong();
  private final Map<Long, Follower> followers = new ConcurrentHashMap<>();
  private final MessageRate sentAppends = new MessageRate();
  private final MessageRate receivedAppends = new MessageRate();
  private final PeerMeters meters;

  PeerStats(PeerMeters meters) {
    this.meters = meters;
  }

  /** Raft thread: messages about to go out. */
  void sent(List<Message> messages) {
    for (Message m : messages) {
      meters.sent(m.getTo(), wireBytes(m));
      if (m.getType() == MessageType.MSG_APP) {
        sendAppendRequests.incrementAndGet();
        sentAppends.record(System.nanoTime(), m.getSerializedSize());
      }
      if (m.getType() == MessageType.MSG_APP || m.getType() == MessageType.MSG_HEARTBEAT) {
        follower(m.getTo()).probeSent(System.nanoTime());
      }
    }
  }

  /** A snapshot whose data is a file counts the file's bytes, which go in chunks. */
  private static long wireBytes(Message m) {
    return m.getSerializedSize()
        + (m.getSnapshot().hasDataFile() ? m.getSnapshot().getDataFile().getSizeBytes() : 0);
  }

  /** Network thread: a message arrived. */
  void received(Message m) {
    meters.received(m.getFrom(), wireBytes(m));
    switch (m.getType()) {
      case MSG_APP -> {
        recvAppendRequests.incrementAndGet();
        receivedAppends.record(System.nanoTime(), m.getSerializedSize());
      }
      case MSG_APP_RESP, MSG_HEARTBEAT_RESP -> {
        long rtt = follower(m.getFrom()).answered(System.nanoTime());
        if (rtt >= 0) meters.roundTrip(m.getFrom(), rtt);
      }
      default -> { }
    }
  }

  void unreachable(long peerId) {
    meters.sendFailed(peerId);
    follower(peerId).failed();
  }

  long sendAppendRequests() {
    return sendAppendRequests.get();
  }

  long recvAppendRequests() {
    return recvAppendRequests.get();
  }

  /** etcd's recvPkgRate, recvBandwidthRate, sendPkgRate, sendBandwidthRate, in that order. */
  double[] rates() {
    long now = System.nanoTime();
    return new double[] {receivedAppends.messagesPerSecond(now),
        receivedAppends.bytesPerSecond(now), sentAppends.messagesPerSecond(now),
        sentAppends.bytesPerSecond(now)};
  }

  LeaderStats leaderStats(long leaderId, List<Long> followerIds) {
    Map<Long, LeaderStats.Follower> out = new LinkedHashMap<>();
    for (long id : followerIds) out.put(id, follower(id).view());
    return new LeaderStats(leaderId, out);
  }

  private Follower follower(long id) {
    return followers.computeIfAbsent(id, k -> new Follower());
  }

  /** Latency in milliseconds, with a running mean and variance (Welford). */
  private static final class Follower {
    private long probeSentNanos;
    private long count;
    private double current;
    private double mean;
    private double m2;
    private double min = Long.MAX_VALUE; // etcd shows this for a follower never heard from
    private double max;
    private long success;
    private long fail;

    synchronized void probeSent(long now) {
      if (probeSentNanos == 0) probeSentNanos = now;
    }

    /** The round trip in nanoseconds, or -1 when no probe was out. */
    synchronized long answered(long now) {
      success++;
      if (probeSentNanos == 0) return -1;
      long nanos = now - probeSentNanos;
      double ms = nanos / 1e6;
      probeSentNanos = 0;
      count++;
      current = ms;
      double delta = ms - mean;
      mean += delta / count;
      m2 += delta * (ms - mean);
      min = Math.min(min, ms);
      max = Math.max(max, ms);
      return nanos;
    }

    synchronized void failed() {
      fail++;
      probeSentNanos = 0;
    }

    synchronized LeaderStats.Follower view() {
      double sd = count > 1 ? Math.sqrt(m2 / count) : 0;
      return new LeaderStats.Follower(current, mean, sd, min, max, fail, success);
    }
  }
}
