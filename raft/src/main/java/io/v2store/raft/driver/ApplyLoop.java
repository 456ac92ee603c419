package io.v2store.raft.driver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.SnapshotInput;
import io.v2store.raft.pb.Snapshot;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies committed entries on their own thread, so that a slow apply never delays replication
 * (a few at a time, when that thread is idle, are applied by the holder of the core instead: see
 * applyCommitted). The queue is bounded: when apply falls far behind, the driver waits rather
 * than buffering without limit.
 */
final class ApplyLoop implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ApplyLoop.class.getName());
  /** The most entries the holder of the core applies itself (see applyCommitted). */
  private static final int APPLY_HERE_MAX = 8;
  /** A snapshot this long means the next one will be long too: a leader hands over first. */
  static final long LONG_SNAPSHOT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private sealed interface Task permits Committed, Finish, Install {}

  /** Entries to apply; finish: then StateMachine.finishApplied, on the same thread. */
  private record Committed(List<Entry> entries, boolean finish) implements Task {}

  /** StateMachine.finishApplied for entries the holder of the core applied. */
  private record Finish() implements Task {}

  /** input: the data read from the log's file (data_file), else null for the snapshot's own. */
  private record Install(Snapshot snapshot, SnapshotInput input) implements Task {}

  /** What the apply thread asks of the holder of the core (which alone may change the log). */
  interface RaftThreadHooks {
    /** The change committed at index, in apply order. */
    void applyConfChange(long index, ConfChange change);

    /**
     * Has data write the snapshot at index now, on the calling (apply) thread, and the raft
     * thread record it; returns the data's size in bytes.
     */
    long persistSnapshot(long index, StagedSnapshot.Writer data);

    /**
     * The snapshot about to be written will keep the apply thread for long (the last one did):
     * a leader should hand leadership over. Must not block.
     */
    void beforeLongSnapshot();
  }

  private final StateMachine stateMachine;
  private final AppliedIndex applied;
  private final DriverConfig config;
  private final DriverListener listener;
  private final RaftThreadHooks hooks;
  private final BlockingQueue<Task> queue;
  /**
   * Tasks enqueued and not yet finished by the apply thread. Zero means the apply thread has
   * nothing in hand, and (only the holder of the core enqueues) will have nothing until the holder
   * enqueues again: the holder may then apply on its own thread.
   */
  private final AtomicInteger unfinished = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;
  /*
   * Read and written by whichever thread applies (the apply thread, or the holder of the core
   * when unfinished is zero, which orders the two), like the state machine itself.
   */
  private long lastSnapshotIndex;
  /** Size of the last snapshot written, installed or restored at start (0: unknown). */
  private long lastSnapshotBytes;
  /** Bytes of entry data applied since that snapshot. */
  private long appliedBytes;
  /** Entries since the last snapshot when the next fell due, waiting for its turn (0: not due). */
  private long dueSince;
  /** How long writing the last snapshot held this thread (0: none written since the start). */
  private long lastSnapshotNanos;

  ApplyLoop(String name, StateMachine stateMachine, AppliedIndex applied, long snapshotIndex,
      long snapshotBytes, DriverConfig config, DriverListener listener, RaftThreadHooks hooks) {
    this.stateMachine = stateMachine;
    this.applied = applied;
    this.lastSnapshotIndex = snapshotIndex;
    this.lastSnapshotBytes = snapshotBytes;
    this.config = config;
    this.listener = listener;
    this.hooks = hooks;
    this.queue = new ArrayBlockingQueue<>(config.maxApplyBacklog());
    this.thread = new Thread(this::run, "apply-" + name);
  }

  void start() {
    thread.start();
  }

  /**
   * Holder of the core: applies a few committed entries on the calling thread when the apply
   * thread is idle and no snapshot falls due among them, else queues them for the apply thread.
   * On one connection this spares each write the apply thread's wake-up; a large batch still goes
   * to the apply thread, so that the core can persist the next batch meanwhile. Conf changes also
   * go there: applying one reconnects peers, which a transport thread must not wait for.
   */
  void applyCommitted(List<Entry> entries) throws InterruptedException {
    if (entries.isEmpty()) return;
    if (running && entries.size() <= APPLY_HERE_MAX && unfinished.get() == 0
        && !snapshotDue(applied.get(), entries.get(entries.size() - 1).getIndex(),
            appliedBytes + bytes(entries))
        && NormalEntries.all(entries)) {
      runTask(new Committed(entries, false));
      // Waking a key's watchers is thousands of network writes: the apply thread does them while
      // this thread goes on replicating (entries committed meanwhile queue behind them, in order).
      if (!running) return;
      if (stateMachine.finishIsLight()) runTask(new Finish());
      else enqueue(new Finish());
      return;
    }
    enqueue(new Committed(entries, true));
  }

  void enqueueSnapshot(Snapshot snapshot) throws InterruptedException {
    enqueue(new Install(snapshot, null));
  }

  /** A snapshot whose data is in a file: restored from input, which this then closes. */
  void enqueueSnapshot(Snapshot snapshot, SnapshotInput input) throws InterruptedException {
    try {
      enqueue(new Install(snapshot, input));
    } catch (InterruptedException | RuntimeException e) {
      input.close();
      throw e;
    }
  }

  /** Waits for room only when the queue is full (never, after {@link #hasRoomForRound}). */
  private void enqueue(Task task) throws InterruptedException {
    unfinished.incrementAndGet();
    if (!queue.offer(task)) {
      try {
        queue.put(task);
      } catch (InterruptedException e) {
        unfinished.decrementAndGet();
        throw e;
      }
    }
  }

  /**
   * Whether one round of the core (a snapshot and a batch of entries at most) can enqueue without
   * waiting. Only the holder of the core enqueues, so the answer holds until it lets go.
   */
  boolean hasRoomForRound() {
    return queue.remainingCapacity() >= 2;
  }

  private void run() {
    while (running) {
      Task task;
      try {
        task = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (task == null) continue;
      runTask(task);
      unfinished.decrementAndGet(); // last: what the task did happens-before a zero is read
    }
  }

  private void runTask(Task task) {
    try {
      if (task instanceof Committed c) {
        apply(c.entries(), c.finish());
      } else if (task instanceof Finish) {
        stateMachine.finishApplied();
      } else if (task instanceof Install i) {
        listener.onSnapshotInstalling(true);
        try {
          if (i.input() == null) {
            stateMachine.restore(i.snapshot());
          } else {
            try (SnapshotInput input = i.input()) {
              stateMachine.restore(input);
            }
          }
        } finally {
          listener.onSnapshotInstalling(false);
        }
        long index = i.snapshot().getMetadata().getIndex();
        lastSnapshotIndex = index;
        lastSnapshotBytes =
            i.input() == null ? i.snapshot().getData().size() : i.input().sizeBytes();
        appliedBytes = 0;
        dueSince = 0;
        applied.advanceTo(index);
      }
    } catch (RuntimeException | Error e) {
      // A state machine that cannot apply a committed entry must not go on serving: its state
      // would silently diverge from the other members'. An Error (no thread for a snapshot's
      // sync, a stack overflow) would otherwise end this thread, and no entry would apply again.
      LOG.log(Level.SEVERE, "apply failed; stopping the apply loop", e);
      running = false;
      applied.failAll(new IllegalStateException("apply loop stopped: " + e));
      listener.onFatal(e);
    }
  }

  /** finish: StateMachine.finishApplied once they are applied, before any snapshot is written. */
  private void apply(List<Entry> entries, boolean finish) {
    long start = System.nanoTime();
    long before = applied.get();
    long last = before;
    for (Entry entry : entries) {
      if (entry.getIndex() <= last) continue; // already reflected by a snapshot
      if (entry.getType() == EntryType.ENTRY_CONF_CHANGE) {
        ConfChange change = parseConfChange(entry);
        hooks.applyConfChange(entry.getIndex(), change);
        stateMachine.applyConfChange(entry.getIndex(), change);
      } else {
        stateMachine.applyEntry(entry.getIndex(), entry.getData());
      }
      appliedBytes += entry.getData().size();
      last = entry.getIndex();
    }
    applied.advanceTo(last);
    // Before the snapshot: the watchers of these entries must not wait while one is written.
    if (finish) stateMachine.finishApplied();
    listener.onApply(System.nanoTime() - start, entries.size());
    maybeSnapshot(before, last);
  }

  /**
   * Whether a snapshot falls due at index, entryBytes of entry data having been applied since the
   * last one: snapshotCount entries after it, and, when snapshots scale with the state, not before
   * those entries add up to the last snapshot's size. A snapshot rewrites the whole state: at a
   * fixed count, a key space of 1.4 million keys under 256-connection writes was rewritten (290 MB)
   * every 4 s, each time holding up its member's writes, so that a write's cost grew with the key
   * space. Scaled, writing snapshots costs at most about one more write of each entry's bytes; the
   * log a restart replays is at most about two snapshots' worth of entries, since a member whose
   * snapshot is due then waits for its turn (SnapshotTurn). from is the index applied before the
   * entries up to index.
   */
  private boolean snapshotDue(long from, long index, long entryBytes) {
    long since = index - lastSnapshotIndex;
    if (dueSince == 0) {
      if (since < config.snapshotCount()
          || (config.snapshotsScaleWithState() && entryBytes < lastSnapshotBytes)) {
        return false;
      }
      dueSince = since;
    }
    // etcd's way (not scaled) is also etcd's timing: every member at the same index.
    SnapshotTurn turn =
        config.snapshotsScaleWithState() ? stateMachine.snapshotTurn() : SnapshotTurn.ALONE;
    return turn.opensBetween(from, index, dueSince);
  }

  private static long bytes(List<Entry> entries) {
    long sum = 0;
    for (Entry e : entries) sum += e.getData().size();
    return sum;
  }

  private void maybeSnapshot(long appliedBefore, long appliedIndex) {
    if (!snapshotDue(appliedBefore, appliedIndex, appliedBytes)) return;
    // While this thread writes, committed entries queue for it; when the queue is full the raft
    // thread waits for room and sends nothing, and a leader's silence stops every member's writes
    // until the others elect another (3.5 million keys: 8-10 s). With turns (snapshots scaled),
    // the others are not writing theirs, so one of them can lead meanwhile.
    if (config.snapshotsScaleWithState() && lastSnapshotNanos >= LONG_SNAPSHOT_NANOS) {
      hooks.beforeLongSnapshot();
    }
    long start = System.nanoTime();
    // Streamed here, before the next entry is applied, so the data is the state at appliedIndex.
    long bytes = hooks.persistSnapshot(appliedIndex, stateMachine::writeSnapshot);
    lastSnapshotIndex = appliedIndex;
    lastSnapshotBytes = bytes;
    appliedBytes = 0;
    dueSince = 0;
    lastSnapshotNanos = System.nanoTime() - start;
    listener.onSnapshot(appliedIndex, lastSnapshotNanos, bytes);
  }

  private static ConfChange parseConfChange(Entry entry) {
    try {
      return ConfChange.parseFrom(entry.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt conf change at index " + entry.getIndex(), e);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
