package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SnapshotsInFlightTest {
  private static final long DELAY = SnapshotsInFlight.RELEASE_DELAY_NANOS;

  @Test
  void compactionWaitsForEverySnapshotSentAndTheDelayAfterTheLast() {
    SnapshotsInFlight inFlight = new SnapshotsInFlight();
    assertFalse(inFlight.holdCompaction(0), "nothing sent yet");
    inFlight.sent();
    inFlight.sent();
    assertTrue(inFlight.holdCompaction(10 * DELAY), "however long it takes");
    inFlight.done(false, 100);
    assertTrue(inFlight.holdCompaction(100 + 2 * DELAY), "one still in flight");
    inFlight.done(false, 200);
    assertTrue(inFlight.holdCompaction(200 + DELAY - 1), "the follower still installs it");
    assertFalse(inFlight.holdCompaction(200 + DELAY));
  }

  @Test
  void aSnapshotLostHoldsNothingOnceReported() {
    SnapshotsInFlight inFlight = new SnapshotsInFlight();
    inFlight.sent();
    assertTrue(inFlight.holdCompaction(100));
    inFlight.done(true, 100);
    assertFalse(inFlight.holdCompaction(101), "the follower has nothing to catch up from");
  }

  @Test
  void aReportOfNoSnapshotOfOursChangesNothing() {
    SnapshotsInFlight inFlight = new SnapshotsInFlight();
    inFlight.done(false, 100);
    assertFalse(inFlight.holdCompaction(101));
  }
}
