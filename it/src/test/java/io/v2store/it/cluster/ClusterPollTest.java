package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A cluster test past its @Timeout is interrupted by JUnit and goes on until it returns, its
 * waits too (the cluster's close must still see its members die). A park returns at once while
 * the thread is interrupted: such a wait polled without a pause, a core busy until its deadline
 * (finishWithAcknowledged's is 30 s).
 */
class ClusterPollTest {

  @Test
  void anInterruptedWaitPausesBetweenPollsAndKeepsTheInterrupt() {
    AtomicInteger polls = new AtomicInteger();
    Thread.currentThread().interrupt();
    boolean met;
    try {
      met = ClusterPoll.until(500, () -> {
        polls.incrementAndGet();
        return false;
      });
    } finally {
      assertTrue(Thread.interrupted(), "the interrupt is kept for the test to see");
    }
    assertFalse(met);
    assertTrue(polls.get() < 100, "polled " + polls + " times in 500 ms");
  }

  @Test
  void anInterruptedWaitStillWaitsForItsCondition() {
    long start = System.nanoTime();
    Thread.currentThread().interrupt();
    try {
      assertTrue(ClusterPoll.until(5_000, () -> System.nanoTime() - start > 200_000_000L));
    } finally {
      assertTrue(Thread.interrupted(), "the interrupt is kept for the test to see");
    }
  }
}
