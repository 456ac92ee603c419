package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The published lease is a deadline on the monotonic clock: a paused process wakes past it. */
class LeaseViewTest {
  @Test
  void validOnlyBeforeItsDeadline() {
    LeaseView view = new LeaseView(true, 1_000, 7, 2);
    assertTrue(view.validAt(999));
    assertFalse(view.validAt(1_000));
    assertFalse(view.validAt(5_000_000_000L), "after a long pause");
  }

  @Test
  void noneIsNeverValid() {
    assertFalse(LeaseView.NONE.validAt(Long.MIN_VALUE));
  }

  @Test
  void deadlinesAcrossTheLongOverflowStillCompare() {
    LeaseView view = new LeaseView(true, Long.MIN_VALUE + 10, 7, 2);
    assertTrue(view.validAt(Long.MAX_VALUE - 10), "nanoTime may wrap");
    assertFalse(view.validAt(Long.MIN_VALUE + 10));
  }

  @Test
  void theKthTickFromNowFallsDueKMinusOneTickLengthsAfterTheNext() {
    RealTimeTicks ticks = new RealTimeTicks(100);
    long next = ticks.dueTimeOf(1);
    assertTrue(ticks.dueTimeOf(8) - next == 7 * 100_000_000L);
  }
}
