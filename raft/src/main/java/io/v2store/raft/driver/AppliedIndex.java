package io.v2store.raft.driver;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * The apply thread's progress, and the reads waiting for it: a ReadIndex read may be served once
 * the local state machine has applied up to its read index.
 */
final class AppliedIndex {
  private record Waiter(long index, CompletableFuture<Long> future) {}

  private final PriorityQueue<Waiter> waiters =
      new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));
  private volatile long applied;

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
    synchronized (waiters) {
      if (applied < index) {
        waiters.add(new Waiter(index, future));
        return;
      }
    }
    future.complete(index);
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

  void failAll(RuntimeException cause) {
    java.util.List<Waiter> all;
    synchronized (waiters) {
      all = new java.util.ArrayList<>(waiters);
      waiters.clear();
    }
    for (Waiter w : all) w.future.completeExceptionally(cause);
  }
}
