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

  @Test
  void methodsAClientMakesUpShareOneLabel() {
    // A method is any token the client sends: one series per made-up name would grow the
    // registry (and every /metrics scrape) for as long as the member runs.
    for (int i = 0; i < 50; i++) counters.increment("FOO" + i, 405);
    counters.increment("PATCH", 405);
    assertEquals(50, count("unknown", "405"));
    assertEquals(1, count("PATCH", "405"));
    assertEquals(0, count("FOO1", "405"));
    assertEquals(2, registry.find(RequestMetricsHandler.REQUESTS).counters().size());
  }
}
