package io.v2store.dist;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes; the only way these tests wait. */
final class Deadline {
  private static final long POLL_MILLIS = 100;

  private Deadline() {}

  static boolean await(Duration timeout, BooleanSupplier condition) {
    final long deadlineNanos = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS); // a poll interval, not a wait for the condition itself
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
