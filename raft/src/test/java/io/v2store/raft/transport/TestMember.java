package io.v2store.raft.transport;

import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** One transport under test with what it received and how often a peer was unreachable. */
final class TestMember implements AutoCloseable {
  static final TransportConfig FAST_RECONNECT =
      new TransportConfig(64, 4 << 20, 256 << 10, 1 << 20, 64L << 20, 20, 200, 1_000);

  final long id;
  final PeerTransport transport;
  final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
  final AtomicInteger unreachable = new AtomicInteger();
  final AtomicInteger snapshotFailures = new AtomicInteger();
  /** The peers that refused us as removed from the cluster. */
  final BlockingQueue<Long> removedBy = new LinkedBlockingQueue<>();
  final InetSocketAddress address;

  TestMember(long clusterId, long id, int port, TransportConfig config) {
    this(clusterId, id, port, config, null);
  }

  /** A member whose inbound handling is inbound (null: queue into {@link #received}). */
  TestMember(long clusterId, long id, int port, TransportConfig config, Consumer<Message> inbound) {
    this(clusterId, id, port, config, inbound, PeerHttp.NONE);
  }

  /** The same, its peer port answering plain HTTP with http. */
  TestMember(long clusterId, long id, int port, TransportConfig config, Consumer<Message> inbound,
      PeerHttp http) {
    this(clusterId, id, port, config, inbound, http, transport -> {});
  }

  /** The same, with beforeStart done to the transport before it starts. */
  TestMember(long clusterId, long id, int port, TransportConfig config, Consumer<Message> inbound,
      PeerHttp http, Consumer<PeerTransport> beforeStart) {
    this.id = id;
    this.transport =
        new PeerTransport(
            clusterId,
            id,
            new InetSocketAddress("127.0.0.1", port),
            inbound == null ? received::add : inbound,
            new PeerEvents() {
              @Override
              public void unreachable(long peerId) {
                unreachable.incrementAndGet();
              }

              @Override
              public void snapshotSent(long peerId, boolean failed) {
                if (failed) {
                  snapshotFailures.incrementAndGet();
                }
              }

              @Override
              public void removedFromCluster(long peerId) {
                removedBy.add(peerId);
              }
            },
            config);
    transport.setPeerHttp(http);
    beforeStart.accept(transport);
    this.address = transport.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + address.getPort());
  }

  void knows(TestMember peer) {
    transport.addPeer(peer.id, List.of(peer.url()));
  }

  Message heartbeatTo(long to, long term) {
    return Message.newBuilder()
        .setType(MessageType.MSG_HEARTBEAT)
        .setFrom(id)
        .setTo(to)
        .setTerm(term)
        .build();
  }

  Message take() throws InterruptedException {
    final Message message = received.poll(Awaits.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("member " + id + " received nothing");
    }
    return message;
  }

  @Override
  public void close() {
    transport.close();
  }
}
