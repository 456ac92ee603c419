package io.v2store.raft.driver;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport's report that a snapshot failed to reach a follower, made while the raft
 * thread's inbox is full (a burst of peer messages during a long round): the leader pauses a
 * follower's appends while its snapshot is in flight, and only the report resumes them. A report
 * dropped with the peer messages would leave that follower without a message until the next
 * leader.
 */
class SnapshotReportOnAFullInboxTest {
  private static final ConfState THREE = ConfState.newBuilder().addVoters(1).addVoters(2)
      .addVoters(3).build();
  private final LinkedBlockingQueue<Message> toThree = new LinkedBlockingQueue<>();
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private final MemoryLog log = MemoryLog.withVoters(1, 2, 3);
  private final IndexRecordingMachine machine = new IndexRecordingMachine();
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private RaftDriver leader;
  private volatile boolean threeUp;
  /** Set: the next send, made by the holder of the core, waits for release. */
  private volatile boolean hold;

  @AfterEach
  void stop() {
    release.countDown();
    if (leader != null) leader.close();
  }

  @Test
  void aFailedSnapshotReportedWhileTheInboxIsFullResumesTheFollower() throws Exception {
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
    for (int i = 0; i < 12; i++) {
      leader.propose(new byte[] {(byte) i}).get(10, TimeUnit.SECONDS);
    }
    awaitTrue(() -> log.firstIndex() > 2, "the log compacted");

    threeUp = true; // member 3 comes back empty: it needs the leader's snapshot
    next(MessageType.MSG_SNAP);
    hold = true;
    assertTrue(held.await(10, TimeUnit.SECONDS), "the holder of the core sent nothing");
    Message fromTwo = Message.newBuilder().setType(MessageType.MSG_HEARTBEAT_RESP).setFrom(2)
        .setTo(1).setTerm(leader.status().term()).build();
    for (int i = 0; i < 70_000; i++) leader.step(fromTwo); // more than the inbox holds
    leader.reportSnapshot(3, true);
    toThree.clear();
    release.countDown();

    // Back in probe, the leader tries member 3 again: an append, or (refused) a new snapshot.
    next(MessageType.MSG_APP, MessageType.MSG_SNAP);
    assertNull(fatal.get());
  }

  /** Member 2 acknowledges everything; member 3 answers heartbeats and refuses appends. */
  private void peers(List<Message> messages) {
    if (hold) {
      hold = false;
      held.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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
        } else if (m.getType() == MessageType.MSG_APP) {
          leader.step(answer.setIndex(m.getIndex()).setReject(true).setRejectHint(0).build());
        }
      }
    }
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
