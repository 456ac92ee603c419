package io.v2store.raft.driver;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Work for the Raft core from other threads, and the raft thread's sleep between ticks.
 *
 * <p>The raft thread does not take tasks out of this queue while it waits for them (as a blocking
 * poll would): every task is drained by whichever thread holds the core, so a transport thread
 * that finds the core free and runs a round itself never overtakes a message that arrived before
 * its own. Waking is a flag and a park: a producer pays for an unpark only while the raft thread
 * actually sleeps.
 */
final class DriverInbox {
  private final ArrayBlockingQueue<Runnable> tasks;
  private volatile Thread sleeper;

  DriverInbox(int capacity) {
    this.tasks = new ArrayBlockingQueue<>(capacity);
  }

  /** Any thread. False when full: the caller decides whether that is a drop or a refusal. */
  boolean offer(Runnable task) {
    if (!tasks.offer(task)) return false;
    wake();
    return true;
  }

  /**
   * Any thread that will itself run the core or wake the raft thread soon after (see
   * RaftDriver.endBatch). False when full.
   */
  boolean offerQuietly(Runnable task) {
    return tasks.offer(task);
  }

  boolean isEmpty() {
    return tasks.isEmpty();
  }

  /**
   * Any thread, after making work visible somewhere the raft thread's idle check reads. The
   * sleeper publishes itself before it checks; this reads the sleeper after the work is
   * published: one of the two sees the other.
   */
  void wake() {
    Thread s = sleeper;
    if (s != null) LockSupport.unpark(s);
  }

  /** Holder of the core: every task queued so far, in arrival order. */
  void drainTo(List<Runnable> out) {
    tasks.drainTo(out);
  }

  /**
   * Raft thread: sleeps for at most nanos, unless a task is queued or idle says there is other
   * work. Returns early (spuriously, on interrupt, or when woken); the caller runs a round anyway.
   */
  void sleep(long nanos, BooleanSupplier idle) {
    sleeper = Thread.currentThread();
    try {
      if (tasks.isEmpty() && idle.getAsBoolean()) LockSupport.parkNanos(this, nanos);
    } finally {
      sleeper = null;
    }
  }
}
