package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The stats rates are averages over the last ten seconds, on a simulated clock. */
class MessageRateTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void averagesTheLastTenSecondsAndForgetsOlderOnes() {
    MessageRate rate = new MessageRate();
    long t0 = 1_000 * SECOND;
    for (int s = 0; s < 10; s++) {
      for (int i = 0; i < 5; i++) rate.record(t0 + s * SECOND, 100);
    }
    assertEquals(5.0, rate.messagesPerSecond(t0 + 9 * SECOND), 1e-9);
    assertEquals(500.0, rate.bytesPerSecond(t0 + 9 * SECOND), 1e-9);
    // Five seconds later half of those buckets have left the window.
    assertEquals(2.5, rate.messagesPerSecond(t0 + 14 * SECOND), 1e-9);
    assertEquals(0.0, rate.messagesPerSecond(t0 + 30 * SECOND), 1e-9);
  }
}
