package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A slow or absent peer costs dropped messages and unreachable reports, never a blocked sender. */
class PeerTransportBackpressureTest {
  private static final long CLUSTER = 7;
  private static final int MAX_SENDS = 20_000;
  private final List<TestMember> members = new ArrayList<>();

  @AfterEach
  void closeAll() {
    members.forEach(TestMember::close);
  }

  @Test
  void fullQueueDropsInsteadOfBlocking() throws InterruptedException {
    final CountDownLatch release = new CountDownLatch(1);
    final LinkedBlockingQueue<Message> delivered = new LinkedBlockingQueue<>();
    // The receiver's network thread stops in its first delivery, so it stops reading the socket.
    final TestMember stuck =
        new TestMember(
            CLUSTER,
            2,
            0,
            TestMember.FAST_RECONNECT,
            message -> {
              awaitQuietly(release);
              delivered.add(message);
            });
    members.add(stuck);
    final TestMember sender = new TestMember(CLUSTER, 1, 0, TestMember.FAST_RECONNECT);
    members.add(sender);
    sender.knows(stuck);
    Awaits.await("connected", () -> sender.transport.isConnected(2));
    try {
      final Message big = appendOf(64 << 10);
      int sends = 0;
      while (sender.unreachable.get() == 0 && sends < MAX_SENDS) {
        sender.transport.send(List.of(big));
        sends++;
      }
      assertTrue(sender.unreachable.get() > 0, "no drop after " + sends + " sends");
      // All the stuck path can hold (kernel socket buffers, tens of MiB at most, plus the
      // queue bound) is far less than 2000 more 64 KiB messages: at least half must be dropped.
      final int dropsBefore = sender.unreachable.get();
      for (int i = 0; i < 2000; i++) {
        sender.transport.send(List.of(big));
      }
      assertTrue(sender.unreachable.get() - dropsBefore >= 1000, "the queue kept growing");
    } finally {
      release.countDown();
    }
    // Once the receiver reads again, the queued messages arrive and new sends get through.
    Awaits.await(
        "the queue drains",
        () -> {
          delivered.clear();
          final int before = sender.unreachable.get();
          sender.transport.send(List.of(sender.heartbeatTo(2, 9)));
          return sender.unreachable.get() == before;
        });
    Awaits.await(
        "a heartbeat arrives",
        () -> delivered.stream().anyMatch(m -> m.getType() == MessageType.MSG_HEARTBEAT));
  }

  @Test
  void sendToAnUnreachablePeerReturnsAtOnceAndReports() throws IOException {
    final int deadPort = LoopbackPorts.next();
    final TestMember sender = new TestMember(CLUSTER, 1, 0, TestMember.FAST_RECONNECT);
    members.add(sender);
    sender.transport.addPeer(2, List.of(URI.create("http://127.0.0.1:" + deadPort)));
    for (int i = 1; i <= 3; i++) {
      sender.transport.send(List.of(sender.heartbeatTo(2, i)));
      assertEquals(i, sender.unreachable.get());
    }
    sender.transport.send(List.of(snapshotTo(2)));
    assertEquals(4, sender.unreachable.get());
    assertEquals(1, sender.snapshotFailures.get(), "a dropped snapshot is reported failed");
  }

  @Test
  void sendToAnUnknownPeerIsReported() {
    final TestMember sender = new TestMember(CLUSTER, 1, 0, TestMember.FAST_RECONNECT);
    members.add(sender);
    sender.transport.send(List.of(sender.heartbeatTo(9, 1)));
    assertEquals(1, sender.unreachable.get());
  }

  private static Message appendOf(int bytes) {
    return Message.newBuilder()
        .setType(MessageType.MSG_APP)
        .setFrom(1)
        .setTo(2)
        .setContext(ByteString.copyFrom(new byte[bytes]))
        .build();
  }

  private static Message snapshotTo(long to) {
    return Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(1).setTo(to).build();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
