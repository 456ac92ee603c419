package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.Role;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A leader whose process pauses (a long collection, SIGSTOP) in the middle of a round of its
 * core, after the round read the clock: the others elect a new leader and commit a write, and a
 * quorum read that reaches the old leader after it wakes must not be answered from its old commit
 * index. The read arrived after the clock was read, so that reading cannot vouch for its lease.
 */
class LeaderStalledInARoundTest {
  private static final long TICK_MILLIS = 20;
  /** Only a bound: the test wakes the stalled round itself once the read is queued. */
  private static final long MOST_STALL_MILLIS = 60_000;
  private final ThreeDrivers members = new ThreeDrivers(TICK_MILLIS, true);

  @AfterEach
  void stop() {
    members.close();
  }

  @Test
  void aReadArrivingAfterAStallInTheMiddleOfARoundIsNotAnsweredUnderTheOldLease()
      throws Exception {
    for (long id = 1; id <= 3; id++) members.start(id, MemoryLog.withVoters(1, 2, 3));
    RaftDriver old = members.get(1L);
    old.campaign();
    awaitTrue(() -> old.status().role() == Role.LEADER, "member 1 leads");
    old.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
    long first = old.status().lastIndex();
    awaitTrue(() -> applied(1) >= first && applied(2) >= first && applied(3) >= first,
        "the first entry everywhere");
    awaitTrue(() -> old.readIndex().isDone(), "member 1 answers reads under its lease");

    // A task of the core's round that takes the whole stall: the round read the clock before it.
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch wake = new CountDownLatch(1);
    Thread test = Thread.currentThread();
    for (int attempt = 0; attempt < 100 && stalled.getCount() > 0; attempt++) {
      old.detail().thenRun(() -> {
        if (Thread.currentThread() == test) return; // the round ended before we got here
        stalled.countDown();
        try {
          wake.await(MOST_STALL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      stalled.await(100, TimeUnit.MILLISECONDS);
    }
    assertTrue(stalled.getCount() == 0, "the core's round stalled");

    // Meanwhile members 2 and 3 elect a leader, which commits a write.
    RaftDriver[] next = new RaftDriver[1];
    awaitTrue(() -> {
      for (long id = 2; id <= 3; id++) {
        if (members.get(id).status().role() == Role.LEADER) next[0] = members.get(id);
      }
      return next[0] != null;
    }, "a new leader among members 2 and 3");
    next[0].propose(new byte[] {2}).get(10, TimeUnit.SECONDS);
    long written = next[0].status().lastIndex();
    long nextId = next[0].status().id();
    awaitTrue(() -> next[0].status().commitIndex() >= written && applied(nextId) >= written,
        "the new leader's write committed");

    // A read sent after that write was acknowledged reaches the old leader, still stalled. Its
    // lease ran out meanwhile: the others waited an election timeout before electing, longer than
    // the lease, so no sleep is needed for it to lapse.
    CompletableFuture<Long> read = old.readIndex();
    wake.countDown();

    try {
      long index = read.get(10, TimeUnit.SECONDS);
      assertTrue(index >= written, "a stale read: answered at index " + index
          + " after the write at " + written + " was committed by another leader");
    } catch (ExecutionException refused) {
      // refused (the leader changed): the client retries, no stale answer
    }
    assertNull(members.fatal.get());
  }

  private long applied(long id) {
    return members.applied(id);
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    Conditions.awaitTrue(condition, what, 20);
  }
}
