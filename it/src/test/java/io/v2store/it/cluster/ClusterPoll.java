package io.v2store.it.cluster;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it until a deadline; never a blind sleep. */
final class ClusterPoll {
  private ClusterPoll() {}

  /**
   * Whether the condition held before the deadline. A test past its @Timeout is interrupted and
   * goes on to its end (its cluster's close waits for its members to die): a park returns at
   * once while the thread is interrupted, so the interrupt is held back while this waits (it
   * polled without a pause, a core busy until the deadline) and set again before it returns.
   */
  static boolean until(long timeoutMillis, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        if (condition.getAsBoolean()) return true;
        if (System.nanoTime() - deadline >= 0) return false;
        LockSupport.parkNanos(20_000_000);
        interrupted |= Thread.interrupted();
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  static void require(long timeoutMillis, String what, BooleanSupplier condition) {
    if (!until(timeoutMillis, condition)) {
      throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
    }
  }
}
