package io.v2store.raft.driver;

import static io.v2store.raft.driver.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.raft.pb.ConfState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A snapshot's fsync runs off the apply thread: applying goes on while it lasts, the log records
 * the snapshot only once it is durable, and with the voters as of the snapshot's index even when
 * a conf change was applied after it meanwhile.
 */
class SnapshotSyncTest {

  /** What the log was asked to record. */
  record Recorded(long index, ConfState voters, boolean wasSynced) {}

  @Test
  void applyingGoesOnWhileTheSnapshotSyncsAndItIsRecordedOnlyOnceDurable() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    GatedLog log = new GatedLog(MemoryLog.withVoters(1), release);
    IndexRecordingMachine machine = new IndexRecordingMachine();
    AtomicLong applied = machine.applied;
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    DriverListener listener = new DriverListener() {
      @Override
      public void onFatal(Throwable cause) {
        fatal.set(cause);
      }
    };
    // A snapshot every 5 applied entries.
    RaftDriver driver = new RaftDriver("m1", new RawNode(RaftConfig.defaults(1), log), log,
        messages -> {}, machine, 0, ConfState.newBuilder().addVoters(1).build(),
        new DriverConfig(10, 5, 2, 64), listener);
    try {
      driver.start();
      driver.campaign();
      proposeAndApply(driver, applied, 8);
      awaitTrue(() -> log.syncsStarted.getCount() == 0, "a snapshot's sync started");
      long atSync = applied.get();

      // The sync is held: the apply thread must not be.
      proposeAndApply(driver, applied, 24);
      assertTrue(applied.get() >= atSync + 20, "applied " + applied.get());
      ConfChange learner = ConfChange.newBuilder().setType(ConfChangeType.CONF_CHANGE_ADD_LEARNER_NODE)
          .setNodeId(2).build();
      driver.proposeConfChange(learner).get(10, TimeUnit.SECONDS);
      long confIndex = driver.status().lastIndex();
      awaitTrue(() -> applied.get() >= confIndex, "the conf change applied");
      assertTrue(log.recorded.isEmpty(), "recorded before its sync: " + log.recorded);

      release.countDown();
      awaitTrue(() -> !log.recorded.isEmpty(), "the synced snapshot recorded");
      Recorded first = log.recorded.get(0);
      assertTrue(first.index() >= 5 && first.index() <= atSync, "first snapshot at " + first.index());
      assertTrue(first.wasSynced(), "recorded before it was durable");
      assertEquals(List.of(1L), first.voters().getVotersList());
      assertEquals(List.of(), first.voters().getLearnersList(),
          "the voters of the snapshot's index, not of the conf change applied after it");
      // The snapshots that fell due while the first one synced: only the newest was kept waiting,
      // each older one discarded when a newer one took its place, so that a stalled sync leaves
      // at most three staging files (the one syncing, the one waiting, the one being written),
      // not one per snapshot that fell due meanwhile.
      awaitTrue(() -> log.staged.stream().allMatch(g -> g.discarded || g.recorded),
          "every staged snapshot recorded or discarded");
      assertTrue(log.staged.size() >= 5, log.staged.size() + " snapshots staged");
      assertTrue(log.recorded.size() >= 2, "recorded: " + log.recorded);
      assertTrue(log.recorded.size() < log.staged.size(), "none was discarded: " + log.recorded);
      for (GatedLog.Gated g : log.staged) {
        assertTrue(!(g.discarded && (g.recorded || g.synced)), "a discarded snapshot was kept");
      }
      assertTrue(log.mostAliveAtOnce.get() <= 3,
          log.mostAliveAtOnce.get() + " snapshots staged and neither recorded nor discarded");
      Recorded last = log.recorded.get(log.recorded.size() - 1);
      if (last.index() > confIndex) {
        assertEquals(List.of(2L), last.voters().getLearnersList());
      }
      assertNull(fatal.get());
    } finally {
      release.countDown();
      driver.close();
    }
  }

  private static void proposeAndApply(RaftDriver driver, AtomicLong applied, int count)
      throws Exception {
    for (int i = 0; i < count; i++) {
      driver.propose(new byte[] {(byte) i}).get(10, TimeUnit.SECONDS);
      long target = driver.status().lastIndex();
      awaitTrue(() -> applied.get() >= target, "entry " + target + " applied");
    }
  }


  /** A MemoryLog whose staged snapshots sync only once released. */
  private static final class GatedLog extends DelegatingLog {
    private final CountDownLatch release;
    final CountDownLatch syncsStarted = new CountDownLatch(1);
    final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    final List<Gated> staged = new CopyOnWriteArrayList<>();
    /** Staged, and neither recorded nor discarded yet: staging files on a real disk. */
    private final AtomicInteger alive = new AtomicInteger();
    final AtomicInteger mostAliveAtOnce = new AtomicInteger();

    GatedLog(MemoryLog log, CountDownLatch release) {
      super(log);
      this.release = release;
    }

    /** Staged data that knows whether it was synced or discarded. */
    private final class Gated implements StagedSnapshot {
      final byte[] data;
      volatile boolean synced;
      volatile boolean discarded;
      volatile boolean recorded;

      Gated(byte[] data) {
        this.data = data;
      }

      @Override
      public long sizeBytes() {
        return data.length;
      }

      @Override
      public void sync() throws IOException {
        syncsStarted.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException("interrupted", e);
        }
        synced = true;
      }

      @Override
      public void discard() {
        discarded = true;
        alive.decrementAndGet();
      }
    }

    @Override
    public StagedSnapshot stageSnapshot(StagedSnapshot.Writer writer) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writer.writeTo(out);
      Gated gated = new Gated(out.toByteArray());
      staged.add(gated);
      mostAliveAtOnce.accumulateAndGet(alive.incrementAndGet(), Math::max);
      return gated;
    }

    @Override
    public void createSnapshot(long index, ConfState confState, StagedSnapshot staged) {
      Gated gated = (Gated) staged;
      recorded.add(new Recorded(index, confState, gated.synced));
      gated.recorded = true;
      alive.decrementAndGet();
      log.createSnapshot(index, confState, gated.data);
    }
  }
}
