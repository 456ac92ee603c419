package io.v2store.server;

/**
 * Messages and bytes per second over the last few seconds, in one-second buckets: what etcd's
 * /v2/stats/self calls pkgRate and bandwidthRate. Cheap enough to update on every message.
 */
final class MessageRate {
  private static final int WINDOW_SECONDS = 10;

  private final long[] messages = new long[WINDOW_SECONDS];
  private final long[] bytes = new long[WINDOW_SECONDS];
  private final long[] second = new long[WINDOW_SECONDS];

  synchronized void record(long nowNanos, int size) {
    int slot = slotFor(nowNanos);
    messages[slot]++;
    bytes[slot] += size;
  }

  /** Messages per second over the window that ends now. */
  synchronized double messagesPerSecond(long nowNanos) {
    return sum(messages, nowNanos) / WINDOW_SECONDS;
  }

  /** Bytes per second over the window that ends now. */
  synchronized double bytesPerSecond(long nowNanos) {
    return sum(bytes, nowNanos) / WINDOW_SECONDS;
  }

  private int slotFor(long nowNanos) {
    long s = nowNanos / 1_000_000_000L;
    int slot = (int) Math.floorMod(s, (long) WINDOW_SECONDS);
    if (second[slot] != s) {
      second[slot] = s;
      messages[slot] = 0;
      bytes[slot] = 0;
    }
    return slot;
  }

  private double sum(long[] counts, long nowNanos) {
    long s = nowNanos / 1_000_000_000L;
    double total = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      if (s - second[i] < WINDOW_SECONDS) total += counts[i];
    }
    return total;
  }
}
