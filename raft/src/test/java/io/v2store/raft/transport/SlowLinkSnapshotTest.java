package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.netty.channel.epoll.Epoll;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A snapshot takes seconds to cross a slow link (another datacenter, a large key space), on the
 * one connection the leader also sends that follower its heartbeats on: they must keep their
 * pace meanwhile, or the follower's election timer fires (it campaigns, it reports no leader) and
 * a leader with no other follower in touch steps down (CheckQuorum) for the snapshot's duration.
 */
class SlowLinkSnapshotTest {
  private static final long CLUSTER = 7;
  private static final int LINK_BYTES_PER_SECOND = 512 << 10;
  private static final int SNAPSHOT_BYTES = 2 << 20; // 4 s on the link
  /** Well within the default election timeout (1 s); heartbeats are sent every 100 ms. */
  private static final long MAX_HEARTBEAT_GAP_MILLIS = 750;
  private static final int ATTEMPTS = 3;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  @Test
  void heartbeatsKeepTheirPaceWhileASnapshotCrossesASlowLink() throws Exception {
    // Elsewhere the kernel takes the whole snapshot into its send buffer (no TCP_NOTSENT_LOWAT).
    assumeTrue(Epoll.isAvailable(), "Linux's native transport");
    // A heartbeat waits, by design, behind what the link holds and one chunk (about 400 ms on
    // this link), leaving a few hundred ms for a loaded machine's stalls of the threads involved
    // (seen: 949 ms with other builds beside it). A transport that queues heartbeats behind the
    // snapshot shows most of the transfer as one gap (3 s and more) in every attempt.
    List<Long> gaps = new ArrayList<>();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      long gap = largestHeartbeatGapMillis(attempt);
      gaps.add(gap);
      if (gap <= MAX_HEARTBEAT_GAP_MILLIS) return;
    }
    throw new AssertionError("the follower heard no heartbeat for longer than "
        + MAX_HEARTBEAT_GAP_MILLIS + " ms while a snapshot crossed the link, in each of "
        + ATTEMPTS + " attempts: the longest silences were " + gaps + " ms");
  }

  /** Sends a snapshot over a slow link with heartbeats beside it; the longest silence heard. */
  private long largestHeartbeatGapMillis(int attempt) throws Exception {
    Link through = connected(TransportConfig.defaults(), LINK_BYTES_PER_SECOND);
    TestMember follower = through.follower();
    TestMember leader = through.leader();

    byte[] data = new byte[SNAPSHOT_BYTES];
    new Random(1 + attempt).nextBytes(data);
    Message snap = Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(1).setTo(2)
        .setTerm(3).setSnapshot(Snapshot.newBuilder().setData(ByteString.copyFrom(data))
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(50).setTerm(3))).build();
    leader.transport.send(List.of(snap));
    long lastBeatNanos = System.nanoTime();
    long maxGapNanos = 0;
    int sent = 0;
    Message received = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (received == null || received.getType() != MessageType.MSG_SNAP) {
      assertTrue(System.nanoTime() < deadline, "the snapshot crossed the link");
      leader.transport.send(List.of(leader.heartbeatTo(2, ++sent)));
      long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      while ((received = follower.received.poll(
          Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
        if (received.getType() == MessageType.MSG_SNAP) break;
        long now = System.nanoTime();
        maxGapNanos = Math.max(maxGapNanos, now - lastBeatNanos);
        lastBeatNanos = now;
      }
    }
    maxGapNanos = Math.max(maxGapNanos, System.nanoTime() - lastBeatNanos);

    assertEquals(snap, received);
    assertEquals(0, leader.snapshotFailures.get());
    return TimeUnit.NANOSECONDS.toMillis(maxGapNanos);
  }

  @Test
  void aSnapshotThePeerStopsTakingIsReportedLost() throws Exception {
    // A chunk that cannot go on the socket for a second gives the snapshot up.
    TransportConfig config = new TransportConfig(4096, 16 << 20, 64 << 10, 512 << 20,
        Long.MAX_VALUE, 50, 2_000, 3_000, 1_000);
    Link through = connected(config, 64 << 20);
    TestMember leader = through.leader();
    SlowRelay link = through.relay();
    // The follower's process is paused: its kernel keeps the connection open, taking nothing.
    link.stall();

    // More than the kernel's buffers on the way hold, with or without TCP_NOTSENT_LOWAT.
    byte[] data = new byte[16 << 20];
    new Random(2).nextBytes(data);
    leader.transport.send(List.of(Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(1)
        .setTo(2).setTerm(3).setSnapshot(Snapshot.newBuilder().setData(ByteString.copyFrom(data))
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(50).setTerm(3))).build()));

    // Never reported, it held the leader's log uncompacted for as long as the peer was paused
    // (the leader counts its snapshots in flight from these reports). Heartbeats go on meanwhile,
    // as a leader's do: queued behind the snapshot, they are no sign of life.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int beat = 1; leader.snapshotFailures.get() == 0; beat++) {
      assertTrue(System.nanoTime() < deadline, "the snapshot was reported lost");
      leader.transport.send(List.of(leader.heartbeatTo(2, beat)));
      Thread.sleep(100);
    }
    assertEquals(1, leader.snapshotFailures.get());
  }

  @Test
  void aSnapshotBehindOtherMessagesOnASlowLinkWaitsForThem() throws Exception {
    TransportConfig config = new TransportConfig(4096, 16 << 20, 64 << 10, 512 << 20,
        Long.MAX_VALUE, 50, 2_000, 3_000, 1_000);
    Link through = connected(config, LINK_BYTES_PER_SECOND);
    TestMember follower = through.follower();
    TestMember leader = through.leader();

    // 2 MiB of appends, 4 s on the link, then a snapshot: its first chunk waits for them all,
    // far longer than the 1 s a chunk may wait with nothing going on the socket.
    List<Message> messages = new ArrayList<>();
    byte[] entry = new byte[60 << 10];
    for (int i = 0; i < 34; i++) {
      messages.add(Message.newBuilder().setType(MessageType.MSG_APP).setFrom(1).setTo(2)
          .setTerm(3).setIndex(i).addEntries(io.v2store.raft.pb.Entry.newBuilder()
              .setIndex(i + 1).setTerm(3).setData(ByteString.copyFrom(entry))).build());
    }
    byte[] data = new byte[256 << 10];
    new Random(3).nextBytes(data);
    Message snap = Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(1).setTo(2)
        .setTerm(3).setSnapshot(Snapshot.newBuilder().setData(ByteString.copyFrom(data))
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(50).setTerm(3))).build();
    messages.add(snap);
    leader.transport.send(messages);

    for (int i = 0; i < 34; i++) {
      assertEquals(MessageType.MSG_APP, follower.take().getType());
    }
    assertEquals(snap, follower.take());
    assertEquals(0, leader.snapshotFailures.get());
  }

  /** A leader and a follower it reaches through a relay of the given rate. */
  private record Link(TestMember leader, TestMember follower, SlowRelay relay) {}

  private Link connected(TransportConfig config, int bytesPerSecond) throws Exception {
    TestMember follower = new TestMember(CLUSTER, 2, 0, config);
    open.add(follower);
    TestMember leader = new TestMember(CLUSTER, 1, 0, config);
    open.add(leader);
    SlowRelay relay = new SlowRelay(follower.address, bytesPerSecond);
    open.add(relay);
    leader.transport.addPeer(2, List.of(relay.url()));
    Awaits.await("connected", () -> leader.transport.isConnected(2));
    return new Link(leader, follower, relay);
  }
}
