package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.Role;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A snapshot that takes long to reach a follower (a slow link, a large key space) while writes go
 * on: the follower, once it installed it, catches up from the entries right after it. The leader
 * must not compact them away meanwhile (etcd pauses compaction while a snapshot is in flight):
 * compacted, they cost the follower another snapshot, and on a link slow enough every snapshot is
 * followed by the next, and the follower never catches up.
 */
class SnapshotInFlightCompactionTest {
  private static final ConfState THREE = ConfState.newBuilder().addVoters(1).addVoters(2)
      .addVoters(3).build();
  private final LinkedBlockingQueue<Message> toThree = new LinkedBlockingQueue<>();
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private final MemoryLog log = MemoryLog.withVoters(1, 2, 3);
  private final IndexRecordingMachine machine = new IndexRecordingMachine();
  private RaftDriver leader;
  /** Member 3 answers its heartbeats (it is up) once set. */
  private volatile boolean threeUp;
  /** Until set, member 3 has nothing and refuses every append. */
  private volatile boolean threeInstalled;

  @AfterEach
  void stop() {
    if (leader != null) leader.close();
  }

  @Test
  void entriesAfterASnapshotInFlightAreKeptForTheFollower() throws Exception {
    // Snapshots every 5 entries, 2 entries kept after each.
    RaftConfig config = new RaftConfig(1, 10, 1, false, false, 1 << 20, 256, 0, 0, 1);
    leader = new RaftDriver("m1", new RawNode(config, log), log, this::peers, machine, 0, THREE,
        new DriverConfig(10, 5, 2, 64), new DriverListener() {
          @Override
          public void onFatal(Throwable cause) {
            fatal.set(cause);
          }
        });
    leader.start();
    leader.campaign();
    awaitTrue(() -> leader.status().role() == Role.LEADER, "member 1 leads");
    write(12);
    awaitTrue(() -> log.firstIndex() > 2, "the log compacted");

    threeUp = true; // member 3 comes back empty: it needs the leader's snapshot
    Message snap = next(MessageType.MSG_SNAP);
    long snapIndex = snap.getSnapshot().getMetadata().getIndex();
    // While it crosses a slow link, writes go on and the leader snapshots again, twice.
    write(12);
    awaitTrue(() -> machine.applied.get() >= snapIndex + 12, "the writes applied");
    Thread.sleep(100); // the snapshots' sync and record, on their threads

    // The snapshot arrives; member 3 installs it and asks for what follows.
    threeInstalled = true;
    leader.reportSnapshot(3, false);
    leader.step(Message.newBuilder().setType(MessageType.MSG_APP_RESP).setFrom(3).setTo(1)
        .setTerm(leader.status().term()).setIndex(snapIndex).build());
    Message catchUp = next(MessageType.MSG_APP, MessageType.MSG_SNAP);
    assertEquals(MessageType.MSG_APP, catchUp.getType(),
        "member 3 was sent another snapshot (at " + catchUp.getSnapshot().getMetadata().getIndex()
            + ") after the one at " + snapIndex + "; the log starts at " + log.firstIndex());
    assertEquals(snapIndex, catchUp.getIndex());
    assertNull(fatal.get());
  }

  /** Member 2 acknowledges everything; member 3's messages are kept for the test. */
  private void peers(List<Message> messages) {
    for (Message m : messages) {
      if (m.getTo() == 3 && threeUp) toThree.add(m);
      Message.Builder answer = Message.newBuilder().setFrom(m.getTo()).setTo(1)
          .setTerm(m.getTerm());
      switch (m.getType()) {
        case MSG_VOTE -> answer.setType(MessageType.MSG_VOTE_RESP);
        case MSG_APP -> answer.setType(MessageType.MSG_APP_RESP)
            .setIndex(m.getIndex() + m.getEntriesCount());
        case MSG_HEARTBEAT -> answer.setType(MessageType.MSG_HEARTBEAT_RESP)
            .setContext(m.getContext()).setLeaseTick(m.getLeaseTick());
        default -> {
          continue;
        }
      }
      if (m.getTo() == 2) {
        leader.step(answer.build());
      } else if (threeUp) {
        if (m.getType() == MessageType.MSG_HEARTBEAT) {
          leader.step(answer.build());
        } else if (m.getType() == MessageType.MSG_APP && !threeInstalled) {
          leader.step(answer.setIndex(m.getIndex()).setReject(true).setRejectHint(0).build());
        }
      }
    }
  }

  private void write(int entries) throws Exception {
    for (int i = 0; i < entries; i++) {
      leader.propose(new byte[] {(byte) i}).get(10, TimeUnit.SECONDS);
    }
    long last = leader.status().lastIndex();
    awaitTrue(() -> machine.applied.get() >= last, "entry " + last + " applied");
  }

  /** The next message to member 3 of one of the types, skipping the others. */
  private Message next(MessageType... types) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Message m = toThree.poll(10, TimeUnit.MILLISECONDS);
      if (m == null) continue;
      for (MessageType type : types) {
        if (m.getType() == type) return m;
      }
    }
    throw new AssertionError("no " + List.of(types) + " to member 3");
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
      Thread.sleep(1);
    }
  }
}
