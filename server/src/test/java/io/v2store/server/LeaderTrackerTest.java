package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When a member offers its pending writes again (Proposals.newLeader): on a leader it did not have
 * just before, and on the same leader re-elected, which may have dropped a write forwarded to it
 * while it did not lead; not on a term without a leader, nor twice for one leader's term.
 */
class LeaderTrackerTest {
  @Test
  void aNewLeaderOrTheSameLeaderInANewTermRunsTheActions() {
    LeaderTracker tracker = new LeaderTracker(0);
    AtomicInteger offers = new AtomicInteger();
    tracker.onNewLeader(offers::incrementAndGet);

    tracker.leaderIs(7, 2, 100);
    assertEquals(1, offers.get());
    tracker.leaderIs(7, 2, 110); // the same leader, the same term
    assertEquals(1, offers.get());
    tracker.leaderIs(7, 3, 120); // re-elected without a moment with none seen here
    assertEquals(2, offers.get());
    assertEquals(100, tracker.leaderSinceMillis(), "leading since its first term in a row");
    tracker.leaderIs(0, 4, 130); // an election: no leader to offer anything to
    assertEquals(2, offers.get());
    tracker.leaderIs(9, 4, 140);
    assertEquals(3, offers.get());
    assertEquals(140, tracker.leaderSinceMillis());
  }
}
