package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The core takes a leader's snapshot, and its configuration, when the message arrives; the apply
 * thread may still hold committed entries below it, a configuration change among them. Applied to
 * the core after the snapshot's configuration, that change rewound the voters: here a member
 * added and removed again before the snapshot came back as a voter, for good (the driver's
 * snapshots record it).
 */
class StaleConfChangeTest {
  private static final ConfState THREE = ConfState.newBuilder().addVoters(1).addVoters(2)
      .addVoters(3).build();

  @Test
  void aConfChangeAppliedAfterANewerSnapshotDoesNotChangeTheVoters() throws Exception {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    BlockingMachine machine = new BlockingMachine();
    ConcurrentLinkedQueue<Message> sent = new ConcurrentLinkedQueue<>();
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    RaftConfig config = new RaftConfig(2, 10, 1, true, true, 1 << 20, 256, 0, 0, 2);
    RaftDriver driver = new RaftDriver("m2", new RawNode(config, log), log, sent::addAll,
        machine, 0, THREE, new DriverConfig(50, 1_000, 100, 64), new DriverListener() {
          @Override
          public void onFatal(Throwable cause) {
            fatal.set(cause);
          }
        });
    try {
      driver.start();
      ConfChange addFour = ConfChange.newBuilder().setType(ConfChangeType.CONF_CHANGE_ADD_NODE)
          .setNodeId(4).build();
      driver.step(Message.newBuilder().setType(MessageType.MSG_APP).setFrom(1).setTo(2)
          .setTerm(1).setIndex(0).setLogTerm(0).setCommit(2)
          .addEntries(Entry.newBuilder().setIndex(1).setTerm(1)
              .setData(ByteString.copyFromUtf8("slow")))
          .addEntries(Entry.newBuilder().setIndex(2).setTerm(1)
              .setType(EntryType.ENTRY_CONF_CHANGE).setData(addFour.toByteString()))
          .build());
      assertTrue(machine.blocked.await(10, TimeUnit.SECONDS), "entry 1 is being applied");

      // Meanwhile member 4 was removed again, and the leader compacted past all of it.
      Snapshot snap = Snapshot.newBuilder().setData(ByteString.copyFromUtf8("state@10"))
          .setMetadata(SnapshotMetadata.newBuilder().setIndex(10).setTerm(1).setConfState(THREE))
          .build();
      driver.step(Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(1).setTo(2)
          .setTerm(1).setSnapshot(snap).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (log.firstIndex() != 11 && System.nanoTime() < deadline) Thread.sleep(1);
      assertEquals(11, log.firstIndex(), "the snapshot is in the log");

      machine.release.countDown();
      while (machine.applied.get() < 10 && System.nanoTime() < deadline) Thread.sleep(1);
      assertEquals(10, machine.applied.get());
      assertEquals(1, machine.confChanges.get(), "the state machine saw the change in order");

      // Posted before the campaign (the change reached the state machine after the core).
      sent.clear();
      driver.campaign();
      Set<Long> asked = new TreeSet<>();
      while (asked.size() < 2 && System.nanoTime() < deadline) {
        for (Message m; (m = sent.poll()) != null; ) {
          if (m.getType() == MessageType.MSG_PRE_VOTE) asked.add(m.getTo());
        }
        Thread.sleep(1);
      }
      Thread.sleep(50);
      for (Message m; (m = sent.poll()) != null; ) {
        if (m.getType() == MessageType.MSG_PRE_VOTE) asked.add(m.getTo());
      }
      assertEquals(Set.of(1L, 3L), asked, "the voters are the snapshot's");
      assertNull(fatal.get());
    } finally {
      machine.release.countDown();
      driver.close();
    }
  }

  /** Holds the apply thread in entry 1 until released. */
  private static final class BlockingMachine implements StateMachine {
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicLong applied = new AtomicLong();
    final AtomicLong confChanges = new AtomicLong();

    @Override
    public void applyEntry(long index, ByteString data) {
      if (index == 1) {
        blocked.countDown();
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      applied.set(index);
    }

    @Override
    public void applyConfChange(long index, ConfChange change) {
      confChanges.incrementAndGet();
      applied.set(index);
    }

    @Override
    public byte[] snapshot() {
      return new byte[1];
    }

    @Override
    public void restore(Snapshot snapshot) {
      applied.set(snapshot.getMetadata().getIndex());
    }
  }
}
