package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The raft thread's sleep ends when work arrives, and never starts while work is queued. */
class DriverInboxTest {
  private static final long TEN_MINUTES = TimeUnit.MINUTES.toNanos(10);
  /** A sleep that must not start would last this long; a test waits for at most half of it. */
  private static final long LONG_SLEEP = TimeUnit.SECONDS.toNanos(60);

  @Test
  void aQueuedTaskKeepsTheSleeperAwake() {
    DriverInbox inbox = new DriverInbox(4);
    inbox.offerQuietly(() -> {});
    assertReturnsSoon(() -> inbox.sleep(LONG_SLEEP, () -> true));
    List<Runnable> drained = new ArrayList<>();
    inbox.drainTo(drained);
    assertEquals(1, drained.size());
  }

  @Test
  void otherWorkKeepsTheSleeperAwake() {
    assertReturnsSoon(() -> new DriverInbox(4).sleep(LONG_SLEEP, () -> false));
  }

  private static void assertReturnsSoon(Runnable sleep) {
    long start = System.nanoTime();
    sleep.run();
    assertTrue(System.nanoTime() - start < LONG_SLEEP / 2, "slept although there was work");
  }

  @Test
  void anOfferWakesTheSleeper() throws InterruptedException {
    DriverInbox inbox = new DriverInbox(4);
    Thread sleeper = new Thread(() -> inbox.sleep(TEN_MINUTES, () -> true));
    sleeper.start();
    waitUntilParked(sleeper);
    inbox.offer(() -> {});
    sleeper.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(sleeper.isAlive(), "the offer did not wake the sleeper");
  }

  @Test
  void aWakeAfterOtherWorkWakesTheSleeper() throws InterruptedException {
    DriverInbox inbox = new DriverInbox(4);
    Thread sleeper = new Thread(() -> inbox.sleep(TEN_MINUTES, () -> true));
    sleeper.start();
    waitUntilParked(sleeper);
    inbox.wake();
    sleeper.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(sleeper.isAlive(), "wake did not wake the sleeper");
  }

  private static void waitUntilParked(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (t.getState() != Thread.State.TIMED_WAITING) {
      if (System.nanoTime() > deadline) throw new AssertionError("never slept: " + t.getState());
      Thread.sleep(1);
    }
  }
}
