package io.v2store.raft.driver;

import static io.v2store.raft.driver.Conditions.awaitTrue;

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

/**
 * Member 1 leading members 2 and 3 through a real driver, with no network: member 2
 * acknowledges everything at once; member 3, once up, answers heartbeats and refuses every
 * append until it has installed a snapshot, and what is sent to it is kept for the test.
 * Snapshots every 5 entries, 2 entries kept after each: a member 3 that comes back empty after a
 * dozen writes needs the leader's snapshot.
 */
final class LeaderWithAnEmptyThird implements AutoCloseable {
  private static final ConfState THREE = ConfState.newBuilder().addVoters(1).addVoters(2)
      .addVoters(3).build();
  final MemoryLog log = MemoryLog.withVoters(1, 2, 3);
  final IndexRecordingMachine machine = new IndexRecordingMachine();
  final AtomicReference<Throwable> fatal = new AtomicReference<>();
  final RaftDriver leader;
  private final LinkedBlockingQueue<Message> toThree = new LinkedBlockingQueue<>();
  /** Member 3 answers its heartbeats (it is up) once set. */
  volatile boolean threeUp;
  /** Until set, member 3 has nothing and refuses every append. */
  volatile boolean threeInstalled;
  /** Run by the holder of the core before each send. */
  volatile Runnable beforeSend = () -> {};

  LeaderWithAnEmptyThird() throws InterruptedException {
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
  }

  void write(int entries) throws Exception {
    for (int i = 0; i < entries; i++) {
      leader.propose(new byte[] {(byte) i}).get(10, TimeUnit.SECONDS);
    }
    long last = leader.status().lastIndex();
    awaitTrue(() -> machine.applied.get() >= last, "entry " + last + " applied");
  }

  /** The next message to member 3 of one of the types, skipping the others. */
  Message next(MessageType... types) throws InterruptedException {
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

  /** Forgets what was sent to member 3 so far. */
  void clearSentToThree() {
    toThree.clear();
  }

  private void peers(List<Message> messages) {
    beforeSend.run();
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

  @Override
  public void close() {
    leader.close();
  }
}
