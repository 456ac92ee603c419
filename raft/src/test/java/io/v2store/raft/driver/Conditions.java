package io.v2store.raft.driver;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The driver tests' waits: a condition polled every millisecond until a deadline. */
final class Conditions {
  private Conditions() {}

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    awaitTrue(condition, what, 10);
  }

  static void awaitTrue(BooleanSupplier condition, String what, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
      Thread.sleep(1);
    }
  }
}
