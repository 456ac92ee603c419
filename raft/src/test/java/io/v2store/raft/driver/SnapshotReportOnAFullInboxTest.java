package io.v2store.raft.driver;

import static io.v2store.raft.driver.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The transport's report that a snapshot failed to reach a follower, made while the raft
 * thread's inbox is full (a burst of peer messages during a long round): the leader pauses a
 * follower's appends while its snapshot is in flight, and only the report resumes them. A report
 * dropped with the peer messages would leave that follower without a message until the next
 * leader.
 */
class SnapshotReportOnAFullInboxTest {
  @Test
  void aFailedSnapshotReportedWhileTheInboxIsFullResumesTheFollower() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (LeaderWithAnEmptyThird c = new LeaderWithAnEmptyThird()) {
      holdTheCoreThenReport(c, held, release);
    }
  }

  private static void holdTheCoreThenReport(LeaderWithAnEmptyThird c, CountDownLatch held,
      CountDownLatch release) throws Exception {
    try {
      RaftDriver leader = c.leader;
      c.write(12);
      awaitTrue(() -> c.log.firstIndex() > 2, "the log compacted");

      c.threeUp = true; // member 3 comes back empty: it needs the leader's snapshot
      c.next(MessageType.MSG_SNAP);
      // the next send, made by the holder of the core, waits: the inbox fills meanwhile
      c.beforeSend = () -> {
        c.beforeSend = () -> {};
        held.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      assertTrue(held.await(10, TimeUnit.SECONDS), "the holder of the core sent nothing");
      Message fromTwo = Message.newBuilder().setType(MessageType.MSG_HEARTBEAT_RESP).setFrom(2)
          .setTo(1).setTerm(leader.status().term()).build();
      for (int i = 0; i < 70_000; i++) leader.step(fromTwo); // more than the inbox holds
      leader.reportSnapshot(3, true);
      c.clearSentToThree();
      release.countDown();

      // Back in probe, the leader tries member 3 again: an append, or (refused) a new snapshot.
      c.next(MessageType.MSG_APP, MessageType.MSG_SNAP);
      assertNull(c.fatal.get());
    } finally {
      release.countDown(); // before the close, which waits for the holder of the core
    }
  }
}
