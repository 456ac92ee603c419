package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The apply thread says when it starts and ends installing a leader's snapshot. */
class SnapshotInstallReportTest {
  private final CountingListener listener = new CountingListener();

  @Test
  void theInstallIsReportedAroundTheRestore() throws Exception {
    assertEquals(List.of("installing", "restored", "installed"), install(false));
  }

  @Test
  void aRestoreThatFailsStillEndsTheInstall() throws Exception {
    assertEquals(List.of("installing", "installed"), install(true));
  }

  private List<String> install(boolean restoreFails) throws Exception {
    StateMachine machine = new InertMachine() {
      @Override
      public void restore(Snapshot snapshot) {
        if (restoreFails) throw new IllegalStateException("corrupt snapshot");
        listener.installs.add("restored");
      }
    };
    AppliedIndex applied = new AppliedIndex(0);
    try (ApplyLoop loop = new ApplyLoop("t", machine, applied, 0, 0,
        new DriverConfig(10, 1000, 2, 64), listener, new NoHooks())) {
      loop.start();
      loop.enqueueSnapshot(Snapshot.newBuilder()
          .setMetadata(SnapshotMetadata.newBuilder().setIndex(7).setTerm(2)).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      // "installed" is said before the applied index moves: wait for both
      while ((listener.installs.size() < (restoreFails ? 2 : 3) || (!restoreFails && applied.get() < 7))
          && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      if (!restoreFails) assertEquals(7, applied.get());
    }
    return listener.installs;
  }

  private static final class NoHooks implements ApplyLoop.RaftThreadHooks {
    @Override
    public void applyConfChange(long index, ConfChange change) {}

    @Override
    public long persistSnapshot(long index, StagedSnapshot.Writer data) {
      return 0;
    }

    @Override
    public void beforeLongSnapshot() {}
  }
}
