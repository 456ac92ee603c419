package io.v2store.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * The caller's request timeout bounds both.
 */
final class Proposals {
  private static final long RETRY_MILLIS = 50;
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "proposal-retry");
        t.setDaemon(true);
        return t;
      });

  private record Unapplied(Supplier<CompletableFuture<Void>> propose, CompletableFuture<?> done) {}

  private final ConcurrentHashMap<Long, Unapplied> byId = new ConcurrentHashMap<>();

  /** Proposes, and keeps offering as above, until done completes (applied, refused, timed out). */
  void submit(long id, Supplier<CompletableFuture<Void>> propose, CompletableFuture<?> done) {
    Unapplied u = new Unapplied(propose, done);
    byId.put(id, u);
    done.whenComplete((value, error) -> byId.remove(id, u));
    offer(u);
  }

  /** A new leader is known: offer it everything still waiting. Must not block (the raft core). */
  void newLeader() {
    for (Unapplied u : byId.values()) offer(u);
  }

  private static void offer(Unapplied u) {
    if (u.done().isDone()) return;
    u.propose().get().whenComplete((ok, dropped) -> {
      if (dropped == null || u.done().isDone()) return;
      TIMER.schedule(() -> offer(u), RETRY_MILLIS, TimeUnit.MILLISECONDS);
    });
  }
}
