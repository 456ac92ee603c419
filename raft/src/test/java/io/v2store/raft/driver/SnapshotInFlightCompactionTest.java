package io.v2store.raft.driver;

import static io.v2store.raft.driver.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import org.junit.jupiter.api.Test;

/**
 * A snapshot that takes long to reach a follower (a slow link, a large key space) while writes go
 * on: the follower, once it installed it, catches up from the entries right after it. The leader
 * must not compact them away meanwhile (etcd pauses compaction while a snapshot is in flight):
 * compacted, they cost the follower another snapshot, and on a link slow enough every snapshot is
 * followed by the next, and the follower never catches up.
 */
class SnapshotInFlightCompactionTest {
  @Test
  void entriesAfterASnapshotInFlightAreKeptForTheFollower() throws Exception {
    try (LeaderWithAnEmptyThird c = new LeaderWithAnEmptyThird()) {
      RaftDriver leader = c.leader;
      c.write(12);
      awaitTrue(() -> c.log.firstIndex() > 2, "the log compacted");

      c.threeUp = true; // member 3 comes back empty: it needs the leader's snapshot
      Message snap = c.next(MessageType.MSG_SNAP);
      long snapIndex = snap.getSnapshot().getMetadata().getIndex();
      // While it crosses a slow link, writes go on and the leader snapshots again, twice.
      c.write(12);
      awaitTrue(() -> c.machine.applied.get() >= snapIndex + 12, "the writes applied");
      // The snapshots' sync and record, on their threads: the newest one due (every 5 entries)
      // is in the log, and with it any compaction it would make.
      awaitTrue(() -> c.log.snapshot().getMetadata().getIndex() > c.machine.applied.get() - 5,
          "the newest snapshot recorded");

      // The snapshot arrives; member 3 installs it and asks for what follows.
      c.threeInstalled = true;
      leader.reportSnapshot(3, false);
      leader.step(Message.newBuilder().setType(MessageType.MSG_APP_RESP).setFrom(3).setTo(1)
          .setTerm(leader.status().term()).setIndex(snapIndex).build());
      Message catchUp = c.next(MessageType.MSG_APP, MessageType.MSG_SNAP);
      assertEquals(MessageType.MSG_APP, catchUp.getType(),
          "member 3 was sent another snapshot (at " + catchUp.getSnapshot().getMetadata().getIndex()
              + ") after the one at " + snapIndex + "; the log starts at " + c.log.firstIndex());
      assertEquals(snapIndex, catchUp.getIndex());
      assertNull(c.fatal.get());
    }
  }
}
