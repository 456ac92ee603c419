package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.Role;
import io.v2store.raft.SnapshotOutOfDateException;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A snapshot of our own that the log refuses as out of date (a leader's snapshot was installed
 * while the apply thread wrote it) is dropped: the member goes on. It used to stop the raft loop.
 */
class OutOfDateSnapshotTest {

  @Test
  void aRefusedOutOfDateSnapshotDoesNotStopTheMember() throws Exception {
    RefusingLog log = new RefusingLog(MemoryLog.withVoters(1));
    IndexRecordingMachine machine = new IndexRecordingMachine();
    AtomicLong applied = machine.applied;
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    AtomicInteger snapshots = new AtomicInteger();
    DriverListener listener = new DriverListener() {
      @Override
      public void onFatal(Throwable cause) {
        fatal.set(cause);
      }

      @Override
      public void onSnapshot(long index, long nanos, long bytes) {
        snapshots.incrementAndGet();
      }
    };
    RaftDriver driver = new RaftDriver("m1", new RawNode(RaftConfig.defaults(1), log), log,
        messages -> {}, machine, 0, ConfState.newBuilder().addVoters(1).build(),
        new DriverConfig(10, 5, 2, 64), listener);
    try {
      driver.start();
      driver.campaign();
      // Proposed before the election is won, an entry would be dropped: fewer entries, fewer
      // snapshots, and the count below would depend on how soon the machine let it win.
      long elected = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (driver.status().role() != Role.LEADER && System.nanoTime() < elected) {
        Thread.sleep(1);
      }
      assertEquals(Role.LEADER, driver.status().role());
      // Every 5 applied entries the apply thread writes a snapshot the log refuses.
      for (int i = 0; i < 30 && fatal.get() == null; i++) {
        CompletableFuture<Void> accepted = driver.propose(new byte[] {(byte) i});
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!accepted.isDone() && fatal.get() == null && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        assertTrue(accepted.isDone() && !accepted.isCompletedExceptionally(),
            "proposal " + i + " not accepted");
        long target = driver.status().lastIndex();
        while (applied.get() < target && fatal.get() == null && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
      }
      assertNull(fatal.get(), "the raft loop stopped");
      // A snapshot reaches the log only after its fsync on a thread of its own and a hand-off to
      // the raft thread: on a busy machine after the last entry is applied.
      long recorded = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (log.refused.get() < 5 && System.nanoTime() < recorded) {
        Thread.sleep(1);
      }
      assertTrue(log.refused.get() >= 5, "refused " + log.refused.get());
      assertTrue(snapshots.get() >= 5, "snapshots " + snapshots.get());
      // status() is published at the end of the raft loop's iteration, and the apply thread may
      // apply the last entry before that: wait for the two to meet rather than catch them between.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (driver.status().lastIndex() != applied.get() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(driver.status().lastIndex(), applied.get());
    } finally {
      driver.close();
    }
  }

  /** A MemoryLog whose every snapshot of our own comes too late. */
  private static final class RefusingLog extends DelegatingLog {
    final AtomicInteger refused = new AtomicInteger();

    RefusingLog(MemoryLog log) {
      super(log);
    }

    @Override
    public void createSnapshot(long index, ConfState confState, StagedSnapshot staged) {
      refused.incrementAndGet();
      throw new SnapshotOutOfDateException(index, index + 100);
    }

    @Override
    public void createSnapshot(long index, ConfState confState, byte[] data) {
      createSnapshot(index, confState, new StagedSnapshot.InMemory(data));
    }
  }
}
