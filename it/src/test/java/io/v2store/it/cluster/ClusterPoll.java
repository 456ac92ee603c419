package io.v2store.it.cluster;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it until a deadline; never a blind sleep. */
final class ClusterPoll {
  private ClusterPoll() {}

  static boolean until(long timeoutMillis, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (true) {
      if (condition.getAsBoolean()) return true;
      if (System.nanoTime() - deadline >= 0) return false;
      LockSupport.parkNanos(20_000_000);
    }
  }

  static void require(long timeoutMillis, String what, BooleanSupplier condition) {
    if (!until(timeoutMillis, condition)) {
      throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
    }
  }
}
