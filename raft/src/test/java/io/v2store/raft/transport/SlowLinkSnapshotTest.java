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
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  @Test
  void heartbeatsKeepTheirPaceWhileASnapshotCrossesASlowLink() throws Exception {
    // Elsewhere the kernel takes the whole snapshot into its send buffer (no TCP_NOTSENT_LOWAT).
    assumeTrue(Epoll.isAvailable(), "Linux's native transport");
    TestMember follower = new TestMember(CLUSTER, 2, 0, TransportConfig.defaults());
    open.add(follower);
    TestMember leader = new TestMember(CLUSTER, 1, 0, TransportConfig.defaults());
    open.add(leader);
    SlowRelay link = new SlowRelay(follower.address, LINK_BYTES_PER_SECOND);
    open.add(link);
    leader.transport.addPeer(2, List.of(link.url()));
    Awaits.await("connected", () -> leader.transport.isConnected(2));

    byte[] data = new byte[SNAPSHOT_BYTES];
    new Random(1).nextBytes(data);
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
    assertTrue(TimeUnit.NANOSECONDS.toMillis(maxGapNanos) <= MAX_HEARTBEAT_GAP_MILLIS,
        "the follower heard no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(maxGapNanos)
            + " ms while a snapshot crossed the link (" + sent + " heartbeats sent)");
  }
}
