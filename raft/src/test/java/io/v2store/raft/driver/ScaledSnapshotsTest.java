package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.pb.ConfState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * With snapshots scaled to the state, a snapshot waits, besides snapshotCount entries, until the
 * entries applied since the last one add up to that snapshot's size; without, one falls due every
 * snapshotCount entries, as etcd takes them.
 */
class ScaledSnapshotsTest {
  private static final int SNAPSHOT_BYTES = 1_000;
  private static final int ENTRY_BYTES = 100;
  private static final int ENTRIES = 40;

  @Test
  void aLargeStateIsSnapshottedOnlyOnceAsManyBytesWereApplied() throws Exception {
    List<Long> at = snapshotIndexes(true, 0);
    assertTrue(at.size() >= 3, "snapshots at " + at);
    // The first comes at the count alone (nothing was written yet, so its size is unknown);
    // every later one only after 1,000 bytes of entries: ten entries of 100 bytes.
    for (int i = 1; i < at.size(); i++) {
      assertTrue(at.get(i) - at.get(i - 1) >= SNAPSHOT_BYTES / ENTRY_BYTES, "snapshots at " + at);
    }
  }

  /**
   * The second of three members: its first snapshot, due at index 5, waits for its window (the
   * smallest slot, two entries: the second member's windows open at 2 + 1 modulo 6); so does every
   * later one, each due after ten entries of 100 bytes (the same slot, from 10 / 3).
   */
  @Test
  void aMemberWaitsForItsTurnAmongTheOthers() throws Exception {
    List<Long> at = snapshotIndexes(true, 0, new SnapshotTurn(1, 3));
    assertTrue(at.size() >= 3, "snapshots at " + at);
    assertEquals(9, at.get(0), "snapshots at " + at);
    for (int i = 1; i < at.size(); i++) {
      assertTrue(at.get(i) - at.get(i - 1) >= SNAPSHOT_BYTES / ENTRY_BYTES, "snapshots at " + at);
      assertEquals(3, at.get(i) % 6, "not in its window: " + at);
    }
  }

  /** etcd's way is also etcd's timing: the turn is not waited for. */
  @Test
  void etcdsWayIsASnapshotEverySnapshotCountEntries() throws Exception {
    List<Long> at = snapshotIndexes(false, 0, new SnapshotTurn(1, 3));
    assertTrue(at.size() >= ENTRIES / 5 - 1, "snapshots at " + at);
    for (int i = 1; i < at.size(); i++) {
      assertEquals(5, at.get(i) - at.get(i - 1), "snapshots at " + at);
    }
  }

  @Test
  void aRestartedMemberSpacesItsFirstSnapshotByTheOneItRestored() throws Exception {
    List<Long> at = snapshotIndexes(true, SNAPSHOT_BYTES);
    assertTrue(!at.isEmpty(), "no snapshot");
    assertTrue(at.get(0) >= SNAPSHOT_BYTES / ENTRY_BYTES, "snapshots at " + at);
  }

  /**
   * Applies ENTRIES entries one at a time, from a start restored from a snapshot of startBytes at
   * index 0; the indexes the driver snapshotted at.
   */
  private static List<Long> snapshotIndexes(boolean scale, long startBytes) throws Exception {
    return snapshotIndexes(scale, startBytes, SnapshotTurn.ALONE);
  }

  private static List<Long> snapshotIndexes(boolean scale, long startBytes, SnapshotTurn turn)
      throws Exception {
    List<Long> indexes = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    DriverListener listener = new DriverListener() {
      @Override
      public void onSnapshot(long index, long nanos, long bytes) {
        assertEquals(SNAPSHOT_BYTES, bytes);
        indexes.add(index);
      }

      @Override
      public void onFatal(Throwable cause) {
        fatal.set(cause);
      }
    };
    IndexRecordingMachine machine = new IndexRecordingMachine(SNAPSHOT_BYTES, turn);
    MemoryLog log = MemoryLog.withVoters(1);
    RaftDriver driver = new RaftDriver("m1", new RawNode(RaftConfig.defaults(1), log), log,
        messages -> {}, machine, 0, startBytes, ConfState.newBuilder().addVoters(1).build(),
        new DriverConfig(10, 5, 2, 64, scale), listener);
    try {
      driver.start();
      driver.campaign();
      for (int i = 0; i < ENTRIES; i++) {
        driver.propose(new byte[ENTRY_BYTES]).get(10, TimeUnit.SECONDS);
        long target = driver.status().lastIndex();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (machine.applied.get() < target) {
          if (System.nanoTime() > deadline) throw new AssertionError("entry " + target + " not applied");
          Thread.sleep(1);
        }
      }
      assertNull(fatal.get());
      return new ArrayList<>(indexes);
    } finally {
      driver.close();
    }
  }

}
