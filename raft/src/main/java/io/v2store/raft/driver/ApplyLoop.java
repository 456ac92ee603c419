package io.v2store.raft.driver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.Snapshot;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies committed entries on their own thread, so that a slow apply never delays replication.
 * The queue is bounded: when apply falls far behind, the driver waits rather than buffering
 * without limit.
 */
final class ApplyLoop implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ApplyLoop.class.getName());

  private sealed interface Task permits Committed, Install {}

  private record Committed(List<Entry> entries) implements Task {}

  private record Install(Snapshot snapshot) implements Task {}

  /** What the apply thread asks of the raft thread (which alone owns the core and the log). */
  interface RaftThreadHooks {
    void applyConfChange(ConfChange change);

    /**
     * Has data write the snapshot at index now, on the calling (apply) thread, and the raft
     * thread record it; returns the data's size in bytes.
     */
    long persistSnapshot(long index, StagedSnapshot.Writer data);
  }

  private final StateMachine stateMachine;
  private final AppliedIndex applied;
  private final DriverConfig config;
  private final DriverListener listener;
  private final RaftThreadHooks hooks;
  private final BlockingQueue<Task> queue;
  private final Thread thread;
  private volatile boolean running = true;
  private long lastSnapshotIndex;

  ApplyLoop(String name, StateMachine stateMachine, AppliedIndex applied, long snapshotIndex,
      DriverConfig config, DriverListener listener, RaftThreadHooks hooks) {
    this.stateMachine = stateMachine;
    this.applied = applied;
    this.lastSnapshotIndex = snapshotIndex;
    this.config = config;
    this.listener = listener;
    this.hooks = hooks;
    this.queue = new ArrayBlockingQueue<>(config.maxApplyBacklog());
    this.thread = new Thread(this::run, "apply-" + name);
  }

  void start() {
    thread.start();
  }

  void enqueueCommitted(List<Entry> entries) throws InterruptedException {
    if (!entries.isEmpty()) queue.put(new Committed(entries));
  }

  void enqueueSnapshot(Snapshot snapshot) throws InterruptedException {
    queue.put(new Install(snapshot));
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
      try {
        if (task instanceof Committed c) {
          applyCommitted(c.entries());
        } else if (task instanceof Install i) {
          stateMachine.restore(i.snapshot());
          long index = i.snapshot().getMetadata().getIndex();
          lastSnapshotIndex = index;
          applied.advanceTo(index);
        }
      } catch (RuntimeException e) {
        // A state machine that cannot apply a committed entry must not go on serving: its state
        // would silently diverge from the other members'.
        LOG.log(Level.SEVERE, "apply failed; stopping the apply loop", e);
        running = false;
        applied.failAll(new IllegalStateException("apply loop stopped: " + e));
        listener.onFatal(e);
      }
    }
  }

  private void applyCommitted(List<Entry> entries) {
    long start = System.nanoTime();
    long last = applied.get();
    for (Entry entry : entries) {
      if (entry.getIndex() <= last) continue; // already reflected by a snapshot
      if (entry.getType() == EntryType.ENTRY_CONF_CHANGE) {
        ConfChange change = parseConfChange(entry);
        hooks.applyConfChange(change);
        stateMachine.applyConfChange(entry.getIndex(), change);
      } else {
        stateMachine.applyEntry(entry.getIndex(), entry.getData().toByteArray());
      }
      last = entry.getIndex();
    }
    applied.advanceTo(last);
    listener.onApply(System.nanoTime() - start, entries.size());
    maybeSnapshot(last);
  }

  private void maybeSnapshot(long appliedIndex) {
    if (appliedIndex - lastSnapshotIndex < config.snapshotCount()) return;
    long start = System.nanoTime();
    // Streamed here, before the next entry is applied, so the data is the state at appliedIndex.
    long bytes = hooks.persistSnapshot(appliedIndex, stateMachine::writeSnapshot);
    lastSnapshotIndex = appliedIndex;
    listener.onSnapshot(appliedIndex, System.nanoTime() - start,
        (int) Math.min(bytes, Integer.MAX_VALUE));
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
