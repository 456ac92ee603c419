package io.v2store.bench.jmh;

import com.google.protobuf.ByteString;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.Role;
import io.v2store.raft.driver.DriverConfig;
import io.v2store.raft.driver.DriverListener;
import io.v2store.raft.driver.RaftDriver;
import io.v2store.raft.driver.StateMachine;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.transport.PeerEvents;
import io.v2store.raft.transport.PeerTransport;
import io.v2store.raft.transport.TransportConfig;
import io.v2store.storage.log.RocksDbLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Three Raft members in one process, wired the way server's EtcdMember wires one: RocksDbLog
 * (every save fsynced), RawNode, RaftDriver and the Netty PeerTransport on loopback. The state
 * machine only completes the future of each proposal the leader applies, so what is measured is
 * Raft, the transport and the disk, not the key space.
 */
final class ReplicationCluster implements AutoCloseable {
  private static final long CLUSTER_ID = 0x5eed;
  private static final long TICK_MILLIS = 100;
  private static final long ELECTION_DEADLINE_MILLIS = 30_000;

  private final Path dir;
  private final List<Member> members = new ArrayList<>();
  private final AtomicLong nextProposal = new AtomicLong(1);
  private final Member leader;
  /** Fsyncs and the entries they carried, all members together: the group-commit factor. */
  private final FsyncCount fsyncs = new FsyncCount();

  static final class FsyncCount implements DriverListener {
    final java.util.concurrent.atomic.LongAdder syncs = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder entries =
        new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder nanos = new java.util.concurrent.atomic.LongAdder();
    /** Messages the transport dropped (reported unreachable): each costs a retry round. */
    final java.util.concurrent.atomic.LongAdder unreachable =
        new java.util.concurrent.atomic.LongAdder();

    @Override
    public void onFsync(long fsyncNanos, int fsyncEntries) {
      syncs.increment();
      entries.add(fsyncEntries);
      nanos.add(fsyncNanos);
    }

    @Override
    public String toString() {
      long n = Math.max(1, syncs.sum());
      return String.format(java.util.Locale.ROOT,
          "%d fsyncs, %.1f entries and %.0f us each; %d messages dropped",
          syncs.sum(), entries.sum() / (double) n, nanos.sum() / 1000.0 / n, unreachable.sum());
    }
  }

  FsyncCount fsyncs() {
    return fsyncs;
  }

  private record Member(long id, RocksDbLog log, PeerTransport transport, RaftDriver driver,
      Map<Long, CompletableFuture<Void>> pending) {}

  ReplicationCluster() throws IOException, InterruptedException, TimeoutException {
    dir = Files.createTempDirectory("bench-raft");
    ConfState voters = ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (long id = 1; id <= 3; id++) {
      RocksDbLog log = RocksDbLog.open(dir.resolve("m" + id));
      log.createSnapshot(0, voters, new byte[0]); // the initial voters, as EtcdMember seeds them
      RawNode node = new RawNode(
          new RaftConfig(id, 10, 1, true, true, 1 << 20, 256, 32L << 20, 0, id), log);
      AtomicReference<RaftDriver> ref = new AtomicReference<>();
      PeerTransport transport = new PeerTransport(CLUSTER_ID, id,
          new InetSocketAddress("127.0.0.1", 0), m -> ref.get().step(m), new PeerEvents() {
            @Override
            public void unreachable(long peerId) {
              fsyncs.unreachable.increment();
              ref.get().reportUnreachable(peerId);
            }

            @Override
            public void snapshotSent(long peerId, boolean failed) {
              ref.get().reportSnapshot(peerId, failed);
            }
          }, TransportConfig.defaults());
      Map<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
      RaftDriver driver = new RaftDriver("bench-" + id, node, log, transport::send,
          new Completer(pending), 0, voters,
          new DriverConfig(TICK_MILLIS, 10_000_000, 5_000, 1_024), fsyncs);
      ref.set(driver);
      addresses.add(transport.start());
      members.add(new Member(id, log, transport, driver, pending));
    }
    for (Member m : members) {
      for (Member peer : members) {
        if (peer != m) {
          InetSocketAddress a = addresses.get((int) peer.id() - 1);
          m.transport().addPeer(peer.id(), List.of(URI.create("http://127.0.0.1:" + a.getPort())));
        }
      }
      m.driver().start();
    }
    members.get(0).driver().campaign();
    long deadline = System.currentTimeMillis() + ELECTION_DEADLINE_MILLIS;
    Member elected = null;
    while (elected == null) {
      if (System.currentTimeMillis() > deadline) throw new TimeoutException("no leader elected");
      Thread.sleep(10);
      elected = members.stream().filter(m -> m.driver().status().role() == Role.LEADER)
          .findFirst().orElse(null);
    }
    leader = elected;
  }

  /**
   * Proposes {@code payload} (its first 8 bytes are overwritten with a proposal id) on the
   * leader; the future completes when the leader has applied it, i.e. after it was fsynced on
   * a majority and committed.
   */
  CompletableFuture<Void> propose(byte[] payload) {
    long id = nextProposal.getAndIncrement();
    byte[] data = payload.clone();
    ByteBuffer.wrap(data).putLong(0, id);
    CompletableFuture<Void> applied = new CompletableFuture<>();
    leader.pending().put(id, applied);
    leader.driver().propose(data).whenComplete((ok, dropped) -> {
      if (dropped != null) {
        leader.pending().remove(id);
        applied.completeExceptionally(dropped);
      }
    });
    return applied;
  }

  @Override
  public void close() throws IOException {
    for (Member m : members) m.driver().close();
    for (Member m : members) m.transport().close();
    for (Member m : members) m.log().close();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** Completes the waiting future of each applied proposal; the payload is otherwise ignored. */
  private record Completer(Map<Long, CompletableFuture<Void>> pending) implements StateMachine {
    @Override
    public void applyEntry(long index, ByteString data) {
      if (data.size() < Long.BYTES) return; // a new leader's empty entry
      CompletableFuture<Void> f = pending.remove(data.asReadOnlyByteBuffer().getLong(0));
      if (f != null) f.complete(null);
    }

    @Override
    public void applyConfChange(long index, ConfChange change) {}

    @Override
    public byte[] snapshot() {
      return new byte[0];
    }

    @Override
    public void restore(Snapshot snapshot) {}
  }
}
