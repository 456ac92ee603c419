package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An Error on the raft or the apply thread (a thread that could not be started, a stack overflow)
 * stops the member as a failed fsync does. Caught as RuntimeExceptions only, it ended the thread
 * and left a member that answered clients with a core, or a key space, that never moved again.
 */
class ErrorsStopTheDriverTest {
  private static final byte[] POISON = {42};

  @Test
  void anErrorWhileApplyingIsFatal() throws Exception {
    final Error error = new StackOverflowError("deep");
    final AtomicReference<Throwable> fatal = new AtomicReference<>();
    final StateMachine machine = new InertMachine() {
      @Override
      public void applyEntry(long index, ByteString data) {
        if (data.equals(ByteString.copyFrom(POISON))) throw error;
      }
    };
    final RaftDriver driver = driver(MemoryLog.withVoters(1), machine, fatal);
    try {
      driver.start();
      driver.campaign();
      driver.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
      driver.propose(POISON);
      awaitFatal(fatal);
      assertSame(error, fatal.get(), "the Error itself reached the owner");
      // The entry committed but never applies: a read that waits for it is told, not left
      // waiting (a client's request would otherwise hang).
      final CompletableFuture<Long> read = driver.readIndex();
      assertThrows(ExecutionException.class, () -> read.get(10, TimeUnit.SECONDS));
    } finally {
      driver.close();
    }
  }

  @Test
  void anErrorWhilePersistingIsFatal() throws Exception {
    final Error error = new OutOfMemoryError("unable to create native thread");
    final AtomicBoolean failing = new AtomicBoolean();
    final DelegatingLog log = new DelegatingLog(MemoryLog.withVoters(1)) {
      @Override
      public void save(HardState hardState, List<Entry> entries, boolean sync) {
        if (failing.get() && !entries.isEmpty()) throw error;
        super.save(hardState, entries, sync);
      }
    };
    final AtomicReference<Throwable> fatal = new AtomicReference<>();
    final RaftDriver driver = driver(log, new InertMachine(), fatal);
    try {
      driver.start();
      driver.campaign();
      driver.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
      failing.set(true);
      driver.propose(new byte[] {2});
      awaitFatal(fatal);
      assertSame(error, fatal.get(), "the Error itself reached the owner");
    } finally {
      driver.close();
    }
  }

  @Test
  void anErrorWhileSyncingASnapshotIsFatal() throws Exception {
    final Error error = new OutOfMemoryError("unable to create native thread");
    final DelegatingLog log = new DelegatingLog(MemoryLog.withVoters(1)) {
      @Override
      public StagedSnapshot stageSnapshot(StagedSnapshot.Writer writer) {
        return new StagedSnapshot() {
          @Override
          public long sizeBytes() {
            return 0;
          }

          @Override
          public void sync() {
            throw error;
          }
        };
      }
    };
    final AtomicReference<Throwable> fatal = new AtomicReference<>();
    final RaftDriver driver = driver(log, new InertMachine(), fatal, 2);
    try {
      driver.start();
      driver.campaign();
      for (int i = 0; i < 4 && fatal.get() == null; i++) {
        // the snapshot's sync fails on a thread of its own: a driver stopped by it meanwhile
        // leaves this proposal unanswered
        CompletableFuture<?> proposed = driver.propose(new byte[] {(byte) i});
        Conditions.awaitTrue(() -> proposed.isDone() || fatal.get() != null,
            "entry " + i + " applied, or the driver stopped");
      }
      awaitFatal(fatal);
      assertSame(error, fatal.get().getCause(), "the Error reached the owner: " + fatal.get());
    } finally {
      driver.close();
    }
  }

  private static RaftDriver driver(io.v2store.raft.DurableLog log, StateMachine machine,
      AtomicReference<Throwable> fatal) {
    return driver(log, machine, fatal, 1_000_000);
  }

  private static RaftDriver driver(io.v2store.raft.DurableLog log, StateMachine machine,
      AtomicReference<Throwable> fatal, long snapshotCount) {
    final DriverListener listener = new DriverListener() {
      @Override
      public void onFatal(Throwable cause) {
        fatal.compareAndSet(null, cause);
      }
    };
    return new RaftDriver("m1", new RawNode(RaftConfig.defaults(1), log), log, messages -> {},
        machine, 0, ConfState.newBuilder().addVoters(1).build(), new DriverConfig(10, snapshotCount, 2, 64),
        listener);
  }

  private static void awaitFatal(AtomicReference<Throwable> fatal) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (fatal.get() == null) {
      assertTrue(System.nanoTime() < deadline, "the owner was told within 10 s");
      Thread.sleep(1);
    }
  }
}
