package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.driver.ProposalDroppedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Proposals' offers and their deadlines, with a stand-in for the raft driver. */
class ProposalsTest {

  private static long inMillis(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /**
   * Whoever fails a proposal wakes its waiter before the proposal's own hook has removed it (a
   * CompletableFuture runs the dependents registered last first), so a test that was just woken
   * waits, bounded, for the removal.
   */
  private static void assertNoneWaitingWithin10s(Proposals proposals) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (proposals.waiting() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(0, proposals.waiting());
  }

  /** The offers a proposal got, for a driver that drops every one (no leader). */
  private static CompletableFuture<Void> dropped(AtomicInteger offers) {
    offers.incrementAndGet();
    return CompletableFuture.failedFuture(new ProposalDroppedException("no leader"));
  }

  @Test
  void aProposalDroppedEveryTimeIsOfferedAgainUntilItsDeadlineThenTimesOut() throws Exception {
    Proposals proposals = new Proposals();
    AtomicInteger offers = new AtomicInteger();
    CompletableFuture<String> done = new CompletableFuture<>();
    proposals.submit(1, () -> dropped(offers), done, inMillis(300));
    ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(10, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    assertTrue(offers.get() >= 2, "offered again after the first drop: " + offers.get());
    assertNoneWaitingWithin10s(proposals);
    // no offer after the deadline: what was scheduled before it finds the proposal done
    int atTheEnd = offers.get();
    Thread.sleep(3 * 50);
    assertTrue(offers.get() <= atTheEnd + 1, offers.get() + " offers after " + atTheEnd);
  }

  /** Forwarded to a leader that never answers: nothing completes the offer, the deadline ends it. */
  @Test
  void aProposalNobodyAnswersTimesOutAtItsDeadline() throws Exception {
    Proposals proposals = new Proposals();
    CompletableFuture<String> done = new CompletableFuture<>();
    long submitted = System.nanoTime();
    proposals.submit(7, CompletableFuture::new, done, inMillis(200));
    ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(10, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    assertTrue(System.nanoTime() - submitted >= TimeUnit.MILLISECONDS.toNanos(200),
        "timed out before its deadline");
    assertNoneWaitingWithin10s(proposals);
  }

  /**
   * One applied in time is no longer waiting and is never failed; a later one still gets its
   * deadline, though the sweeps stopped while nothing waited.
   */
  @Test
  void anAppliedProposalLeavesAndTheNextStillHasItsDeadline() throws Exception {
    Proposals proposals = new Proposals();
    CompletableFuture<String> applied = new CompletableFuture<>();
    proposals.submit(1, () -> CompletableFuture.completedFuture(null), applied, inMillis(100));
    applied.complete("ok");
    assertEquals(0, proposals.waiting());
    // longer than a sweep: the sweep that was scheduled ran, found nothing, and scheduled none
    Thread.sleep(3 * Proposals.SWEEP_MILLIS);
    assertEquals("ok", applied.get());
    CompletableFuture<String> late = new CompletableFuture<>();
    proposals.submit(2, CompletableFuture::new, late, inMillis(50));
    ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
  }

  /** A new leader is offered what still waits, and only that. */
  @Test
  void aNewLeaderIsOfferedOnlyTheProposalsStillWaiting() {
    Proposals proposals = new Proposals();
    AtomicInteger offersOfApplied = new AtomicInteger();
    AtomicInteger offersOfWaiting = new AtomicInteger();
    CompletableFuture<String> applied = new CompletableFuture<>();
    CompletableFuture<String> waiting = new CompletableFuture<>();
    proposals.submit(1, () -> {
      offersOfApplied.incrementAndGet();
      return new CompletableFuture<>();
    }, applied, inMillis(60_000));
    proposals.submit(2, () -> {
      offersOfWaiting.incrementAndGet();
      return new CompletableFuture<>();
    }, waiting, inMillis(60_000));
    applied.complete("ok");
    proposals.newLeader();
    assertEquals(1, offersOfApplied.get());
    assertEquals(2, offersOfWaiting.get());
    waiting.complete("ok");
    assertEquals(0, proposals.waiting());
  }
}
