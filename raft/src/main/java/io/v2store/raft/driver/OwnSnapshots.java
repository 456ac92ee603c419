package io.v2store.raft.driver;

import io.v2store.raft.DurableLog;
import io.v2store.raft.SnapshotOutOfDateException;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * This member's own periodic snapshots, from the apply thread's writing to the compacted log:
 * the data is written on the apply thread, the only moment the state stands still; its fsync on
 * a thread of its own, so that the apply thread goes back to applying at once; and the record and
 * the compaction on the raft thread (through post), which alone changes the log.
 */
final class OwnSnapshots implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(OwnSnapshots.class.getName());

  private final String name;
  private final DurableLog log;
  private final long catchUpEntries;
  private final DriverListener listener;
  /** Runs a task on the raft thread, after every task posted before it. */
  private final Consumer<Runnable> post;
  /** The voters as the raft thread knows them (read on the raft thread only). */
  private final Supplier<ConfState> voters;
  /** Whether to leave the log uncompacted for now (SnapshotsInFlight). */
  private final BooleanSupplier holdCompaction;
  /** Makes staged snapshots durable, in the order they were written, off the apply thread. */
  private final ExecutorService sync;
  /** The staged snapshot the sync thread has yet to take, if any. */
  private final AtomicReference<Waiting> waiting = new AtomicReference<>();

  /** A staged snapshot and the voters at its index (set on the raft thread before it records). */
  private record Waiting(long index, StagedSnapshot staged, ConfState[] votersAtIndex) {}

  OwnSnapshots(String name, DurableLog log, long catchUpEntries, DriverListener listener,
      Consumer<Runnable> post, Supplier<ConfState> voters, BooleanSupplier holdCompaction) {
    this.name = name;
    this.log = log;
    this.catchUpEntries = catchUpEntries;
    this.listener = listener;
    this.post = post;
    this.voters = voters;
    this.holdCompaction = holdCompaction;
    this.sync = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "snapshot-sync-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Apply thread: writes the snapshot at index; returns its size. See the class comment. */
  long persist(long index, StagedSnapshot.Writer data) {
    StagedSnapshot staged;
    try {
      staged = log.stageSnapshot(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the snapshot at " + index, e);
    }
    // The log is compacted only once the raft thread records the synced snapshot. Conf changes
    // past the snapshot may reach the raft thread before that: the voters are taken now, in
    // apply order (this post precedes theirs).
    ConfState[] votersAtIndex = new ConfState[1];
    post.accept(() -> votersAtIndex[0] = voters.get());
    Waiting superseded = waiting.getAndSet(new Waiting(index, staged, votersAtIndex));
    if (superseded == null) {
      sync.execute(this::syncWaiting);
    } else {
      // The sync thread is still on an older snapshot (a slow or stalled disk) and this one holds
      // all that the one waiting behind it held: only the newest waits, so a stall leaves at most
      // three staging files (syncing, waiting, being written), not one per snapshot meanwhile.
      superseded.staged().discard();
      LOG.info(() -> name + ": our snapshot at " + superseded.index() + " replaced by the one at "
          + index + " before it was synced: the disk is slow to sync");
    }
    return staged.sizeBytes();
  }

  /** Sync thread: makes the newest waiting snapshot durable, then has the raft thread record it. */
  private void syncWaiting() {
    Waiting next = waiting.getAndSet(null);
    if (next == null) return; // a task submitted before a newer snapshot took the slot
    long index = next.index();
    try {
      long syncStart = System.nanoTime();
      next.staged().sync();
      listener.onSnapshotSynced(index, System.nanoTime() - syncStart);
    } catch (IOException e) {
      post.accept(() -> {
        throw new UncheckedIOException("cannot sync the snapshot at " + index, e);
      });
      return;
    } catch (RuntimeException | Error e) {
      // Not this executor's to swallow: the snapshot would never be recorded, and the log
      // never compacted again, with no word why.
      post.accept(() -> {
        throw new IllegalStateException("cannot sync the snapshot at " + index, e);
      });
      return;
    }
    post.accept(() -> recordAndCompact(index, next.votersAtIndex()[0], next.staged()));
  }

  /** Raft thread. */
  private void recordAndCompact(long index, ConfState votersAtIndex, StagedSnapshot staged) {
    try {
      log.createSnapshot(index, votersAtIndex, staged);
    } catch (SnapshotOutOfDateException e) {
      // The leader's snapshot was installed while the apply thread wrote this older one: the log
      // is already past it. Dropped, as etcd drops ErrSnapOutOfDate; before, this stopped the
      // member (a follower restarting into a busy cluster could meet it).
      LOG.info(() -> name + ": dropped our snapshot at " + index + ": " + e.getMessage());
      return;
    }
    long compactTo = index - catchUpEntries;
    if (compactTo < log.firstIndex()) return;
    if (holdCompaction.getAsBoolean()) {
      // A follower sent a snapshot needs the entries after it: the next snapshot compacts.
      LOG.info(() -> name + ": not compacting the log at " + index
          + ": a snapshot is on its way to a follower");
      return;
    }
    log.compact(compactTo);
  }

  /** A snapshot still syncing is left as a staging file, removed when the log next opens. */
  @Override
  public void close() {
    sync.shutdownNow();
  }
}
