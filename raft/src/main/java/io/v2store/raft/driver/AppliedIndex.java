package io.v2store.raft.driver;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * The apply thread's progress, and the reads waiting for it: a ReadIndex read may be served once
 * the local state machine has applied up to its read index.
 */
final class AppliedIndex {
  private record Waiter(long index, CompletableFuture<Long> future) {}

  /** Waiters held before those whose reads have ended (timed out) are first looked for. */
  private static final int PRUNE_FROM = 1_024;

  private final PriorityQueue<Waiter> waiters =
      new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));
  private volatile long applied;
  /** Set once the apply loop has stopped: nothing waits for an index that will not come. */
  private RuntimeException failed;
  /**
   * At this many waiters, those whose reads already ended are dropped (then twice what is left):
   * while applying stands still (a disk that hangs under the log), every quorum read and health
   * check made meanwhile would otherwise stay held, timed out by its requester, until it resumes.
   */
  private int pruneAt = PRUNE_FROM;

  AppliedIndex(long initial) {
    this.applied = initial;
  }

  long get() {
    return applied;
  }

  /** Completes future with index once applied >= index (at once if it already is). */
  void whenApplied(long index, CompletableFuture<Long> future) {
    if (applied >= index) { // the common case for reads: no lock
      future.complete(index);
      return;
    }
    RuntimeException stopped;
    synchronized (waiters) {
      stopped = failed;
      if (applied < index && stopped == null) {
        if (waiters.size() >= pruneAt) {
          waiters.removeIf(w -> w.future.isDone());
          pruneAt = Math.max(PRUNE_FROM, 2 * waiters.size());
        }
        waiters.add(new Waiter(index, future));
        return;
      }
    }
    if (applied >= index) future.complete(index);
    else future.completeExceptionally(stopped);
  }

  /** Reads held waiting for an index (tests). */
  int waiting() {
    synchronized (waiters) {
      return waiters.size();
    }
  }

  /** Called by the apply thread after each applied batch. */
  void advanceTo(long index) {
    java.util.List<Waiter> ready = new java.util.ArrayList<>();
    synchronized (waiters) {
      if (index > applied) applied = index;
      while (!waiters.isEmpty() && waiters.peek().index <= applied) ready.add(waiters.poll());
    }
    for (Waiter w : ready) w.future.complete(w.index);
  }

  /** Fails every waiter, and every later one for an index not yet applied. */
  void failAll(RuntimeException cause) {
    java.util.List<Waiter> all;
    synchronized (waiters) {
      if (failed == null) failed = cause;
      all = new java.util.ArrayList<>(waiters);
      waiters.clear();
    }
    for (Waiter w : all) w.future.completeExceptionally(cause);
  }
}
