package io.v2store.raft.driver;

/**
 * Turns the monotonic clock into Raft ticks for the raft thread. The thread ticks the core itself
 * from this, rather than a timer thread queueing ticks: queued ticks fall behind real time when
 * the machine is busy or the process pauses, and the leader lease must never believe that less
 * time has passed than has.
 */
final class RealTimeTicks {
  private final long tickNanos;
  /** Advanced by the holder of the core; volatile because the raft thread reads it to sleep. */
  private volatile long nextTickNanos;

  RealTimeTicks(long tickMillis) {
    this.tickNanos = tickMillis * 1_000_000;
    this.nextTickNanos = System.nanoTime() + tickNanos;
  }

  /** How many ticks are due now (each counted once). */
  long due() {
    long now = System.nanoTime();
    if (now - nextTickNanos < 0) return 0;
    long n = (now - nextTickNanos) / tickNanos + 1;
    nextTickNanos += n * tickNanos;
    return n;
  }

  /**
   * The monotonic time at which the k-th tick from now falls due (k >= 1), given that every tick
   * due so far has been handed to the core.
   */
  long dueTimeOf(long k) {
    return nextTickNanos + (k - 1) * tickNanos;
  }

  /** How long the thread may wait before the next tick is due (at least 1 ns). */
  long nanosToNext() {
    return Math.max(1, nextTickNanos - System.nanoTime());
  }
}
