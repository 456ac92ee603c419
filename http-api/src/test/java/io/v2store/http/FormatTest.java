package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatTest {

  private static long nanos(String instant) {
    return EventJsonEncoder.epochNanos(Instant.parse(instant));
  }

  @Test
  void rfc3339TrimsTrailingFractionZeros() {
    assertEquals("2026-11-25T03:44:42.1562995Z",
        Rfc3339.formatNanos(nanos("2026-11-25T03:44:42.156299500Z")));
    assertEquals("2026-11-25T03:40:41.045009728Z",
        Rfc3339.formatNanos(nanos("2026-11-25T03:40:41.045009728Z")));
    assertEquals("2026-11-25T03:44:42Z", Rfc3339.formatNanos(nanos("2026-11-25T03:44:42Z")));
    assertEquals("1970-01-01T00:00:00.5Z", Rfc3339.formatMillis(500));
  }

  @Test
  void ttlIsCeilingForTheFutureAndTruncatedForThePast() {
    long now = nanos("2026-01-01T00:00:00Z");
    assertEquals(100, EventJsonEncoder.ttlSeconds(now + 100_000_000_000L, now));
    assertEquals(100, EventJsonEncoder.ttlSeconds(now + 99_000_000_001L, now));
    assertEquals(1, EventJsonEncoder.ttlSeconds(now + 1, now));
    assertEquals(0, EventJsonEncoder.ttlSeconds(now, now));
    assertEquals(0, EventJsonEncoder.ttlSeconds(now - 500_000_000L, now));
    assertEquals(-1, EventJsonEncoder.ttlSeconds(now - 1_500_000_000L, now));
  }

  @Test
  void goBooleanSpellings() {
    for (String t : new String[] {"1", "t", "T", "TRUE", "true", "True"}) {
      assertEquals(Boolean.TRUE, GoParse.parseBool(t), t);
    }
    for (String f : new String[] {"0", "f", "F", "FALSE", "false", "False"}) {
      assertEquals(Boolean.FALSE, GoParse.parseBool(f), f);
    }
    for (String bad : new String[] {"", "yes", "tRUE", " true", "2"}) {
      assertNull(GoParse.parseBool(bad), bad);
    }
  }

  @Test
  void unsignedIntegers() {
    assertEquals(42, GoParse.parseUint64("0042"));
    assertEquals(-1L, GoParse.parseUint64("18446744073709551615"));
    for (String bad : new String[] {"", "+1", "-1", "1.0", " 1", "0x10", "18446744073709551616"}) {
      assertThrows(NumberFormatException.class, () -> GoParse.parseUint64(bad), bad);
    }
  }

  @Test
  void goDurations() {
    assertEquals("0s", GoFormat.duration(0));
    assertEquals("36.83118339s", GoFormat.duration(36_831_183_390L));
    assertEquals("4m21.59s", GoFormat.duration(261_590_000_000L));
    assertEquals("1h0m0s", GoFormat.duration(3_600_000_000_000L));
    assertEquals("1.5ms", GoFormat.duration(1_500_000L));
    assertEquals("999ns", GoFormat.duration(999));
  }

  @Test
  void goJsonFloats() {
    assertEquals("9223372036854776000", GoFormat.jsonFloat((double) Long.MAX_VALUE));
    assertEquals("0.5", GoFormat.jsonFloat(0.5));
    assertEquals("3", GoFormat.jsonFloat(3.0));
    assertEquals("1e-07", GoFormat.jsonFloat(1e-7));
  }
}
