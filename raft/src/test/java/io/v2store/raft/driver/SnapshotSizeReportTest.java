package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Entry;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A snapshot's size is reported whole, over 2 GiB too (a key space can grow past it). */
class SnapshotSizeReportTest {
  private static final long OVER_2_GIB = (3L << 30) + 5;

  @Test
  void aSnapshotOver2GiBIsReportedAtItsSize() throws Exception {
    LinkedBlockingQueue<Long> reported = new LinkedBlockingQueue<>();
    DriverListener listener = new DriverListener() {
      @Override
      public void onSnapshot(long index, long nanos, long bytes) {
        reported.add(bytes);
      }
    };
    StateMachine machine = new InertMachine();
    ApplyLoop.RaftThreadHooks hooks = new ApplyLoop.RaftThreadHooks() {
      @Override
      public void applyConfChange(long index, ConfChange change) {}

      @Override
      public long persistSnapshot(long index, StagedSnapshot.Writer data) {
        return OVER_2_GIB; // what the log staged: the state written as it is
      }

      @Override
      public void beforeLongSnapshot() {}
    };
    try (ApplyLoop loop = new ApplyLoop("t", machine, new AppliedIndex(0), 0, 0,
        new DriverConfig(10, 1, 0, 64), listener, hooks)) {
      loop.start();
      loop.applyCommitted(List.of(Entry.newBuilder().setIndex(1).setTerm(1).build()));
      assertEquals(OVER_2_GIB, reported.poll(10, TimeUnit.SECONDS));
    }
  }
}
