package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AnswersInFlightTest {
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aWatchParkedAfterTheFirstCutIsCutTooRatherThanWaitedFor() {
    AnswersInFlight inFlight = new AnswersInFlight();
    inFlight.started(); // a request answered at once
    inFlight.finished();
    inFlight.started(); // a watch that a keep-alive connection brought after the parked were cut
    AtomicInteger cuts = new AtomicInteger();
    // the cut ends it (its connection closes): the stop must not wait out its deadline for it
    inFlight.stopAndAwait(TimeUnit.HOURS.toMillis(1), () -> {
      if (cuts.incrementAndGet() == 2) inFlight.finished();
    });
    assertTrue(inFlight.stopping());
    assertTrue(cuts.get() >= 2, "cut once per round");
  }
}
