package io.v2store.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Proposals this member made and that are not applied yet: writes and membership changes alike.
 *
 * <p>Two ways a proposal is lost without being refused, and what this does about each:
 * <ul>
 *   <li>the core drops it (no leader yet, a transfer under way): it certainly did not happen,
 *       so it is offered again shortly;
 *   <li>it was forwarded to a leader that is gone (killed, partitioned, stepping down): when a
 *       new leader becomes known every unapplied proposal is offered to it. A copy that did
 *       commit the first time is harmless: requests are deduplicated by id when applied
 *       (AppliedRequestIds) and configuration changes are idempotent.
 * </ul>
 * The deadline given with each bounds both.
 */
final class Proposals {
  private static final long RETRY_MILLIS = 50;
  /**
   * How often the proposals waiting are held against their deadlines. The client is answered on
   * time by the HTTP layer's own timer on its event loop (Deadlines); this bound only ends the
   * offers and frees the entry, so it may come a little late. It replaced a timer per write on
   * the JDK's CompletableFuture delay thread: on one connection that thread was woken for every
   * write, on a core the raft thread wanted (bench/README, "Thirty-eighth session").
   */
  static final long SWEEP_MILLIS = 100;
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "proposal-retry");
        t.setDaemon(true);
        return t;
      });

  private record Unapplied(Supplier<CompletableFuture<Void>> propose, CompletableFuture<?> done,
      long deadlineNanos) {}

  private final ConcurrentHashMap<Long, Unapplied> byId = new ConcurrentHashMap<>();
  /** A sweep is scheduled: one at a time, and none while nothing waits. */
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /**
   * Proposes, and keeps offering as above, until done completes (applied, refused), or fails
   * done with a TimeoutException once deadlineNanos (System.nanoTime) has passed.
   */
  void submit(long id, Supplier<CompletableFuture<Void>> propose, CompletableFuture<?> done,
      long deadlineNanos) {
    Unapplied u = new Unapplied(propose, done, deadlineNanos);
    byId.put(id, u);
    done.whenComplete((value, error) -> byId.remove(id, u));
    sweepLater();
    offer(u);
  }

  /** A new leader is known: offer it everything still waiting. Must not block (the raft core). */
  void newLeader() {
    for (Unapplied u : byId.values()) offer(u);
  }

  int waiting() {
    return byId.size();
  }

  private void sweepLater() {
    if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
      TIMER.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      for (Unapplied u : byId.values()) {
        if (now - u.deadlineNanos() >= 0) u.done().completeExceptionally(new TimeoutException());
      }
    } finally {
      // Whatever happened above (a scheduled task that throws is never run again): cleared before
      // the map is read again, so a proposal submitted meanwhile either sees the flag clear and
      // schedules the next sweep itself, or is seen here.
      sweeping.set(false);
      if (!byId.isEmpty()) sweepLater();
    }
  }

  private static void offer(Unapplied u) {
    if (u.done().isDone()) return;
    u.propose().get().whenComplete((ok, dropped) -> {
      if (dropped == null || u.done().isDone()) return;
      TIMER.schedule(() -> offer(u), RETRY_MILLIS, TimeUnit.MILLISECONDS);
    });
  }
}
