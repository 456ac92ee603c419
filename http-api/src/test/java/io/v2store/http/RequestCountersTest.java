package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RequestCountersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RequestCounters counters = new RequestCounters(registry);

  private double count(String method, String code) {
    var counter = registry.find(RequestMetricsHandler.REQUESTS).tag("method", method)
        .tag("code", code).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void countsEachMethodAndCodeApart() {
    for (int i = 0; i < 3; i++) counters.increment("GET", 200);
    counters.increment("GET", 404);
    counters.increment("PUT", 201);
    counters.increment("PUT", 201);
    assertEquals(3, count("GET", "200"));
    assertEquals(1, count("GET", "404"));
    assertEquals(2, count("PUT", "201"));
    assertEquals(0, count("PUT", "200"));
  }

  @Test
  void countsCodesOutsideTheUsualRange() {
    counters.increment("GET", 999);
    counters.increment("GET", 999);
    counters.increment("GET", 599);
    assertEquals(2, count("GET", "999"));
    assertEquals(1, count("GET", "599"));
  }
}
