package io.v2store.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * etcd's v2 API metrics, by the names and labels its dashboards and alerts query:
 * etcd_http_received_total{method} for every keys request that parsed (watches aside),
 * etcd_http_failed_total{method,code} for those the store or Raft refused (code: the HTTP status),
 * and etcd_http_successful_duration_seconds{method}, a histogram with etcd's buckets (0.5 ms
 * doubling to 2.048 s). A quorum GET is method "QGET", as in etcd. Meters are made once per
 * method, so a request costs a few atomic increments.
 */
final class KeysMetrics {
  private static final Duration[] BUCKETS = buckets(500_000L, 13);
  private final MeterRegistry registry;
  private final Map<String, PerMethod> byMethod = new ConcurrentHashMap<>();

  KeysMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A keys request that parsed and is not a watch; report its outcome on the result. */
  Request received(String method, boolean quorum) {
    PerMethod m = byMethod.computeIfAbsent(quorum && method.equals("GET") ? "QGET" : method,
        PerMethod::new);
    m.received.increment();
    return new Request(m, System.nanoTime());
  }

  /** One request in flight. */
  static final class Request {
    private final PerMethod method;
    private final long startNanos;

    private Request(PerMethod method, long startNanos) {
      this.method = method;
      this.startNanos = startNanos;
    }

    void succeeded() {
      method.successful.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    void failed(int status) {
      method.failed.computeIfAbsent(status, method::failures).increment();
    }
  }

  private final class PerMethod {
    final String name;
    final Counter received;
    final Timer successful;
    final Map<Integer, Counter> failed = new ConcurrentHashMap<>();

    PerMethod(String name) {
      this.name = name;
      this.received = Counter.builder("etcd_http_received")
          .description("Counter of requests received into the system (successfully parsed and "
              + "authd).")
          .tag("method", name).register(registry);
      this.successful = Timer.builder("etcd_http_successful_duration")
          .description("Bucketed histogram of processing time (s) of successfully handled "
              + "requests (non-watches), by method (GET/PUT etc.).")
          .tag("method", name).serviceLevelObjectives(BUCKETS).register(registry);
    }

    Counter failures(int code) {
      return Counter.builder("etcd_http_failed")
          .description("Counter of handle failures of requests (non-watches), by method "
              + "(GET/PUT etc.) and code (400, 500 etc.).")
          .tag("method", name).tag("code", Integer.toString(code)).register(registry);
    }
  }

  /** Prometheus's ExponentialBuckets(start, 2, count), as etcd declares its histograms. */
  static Duration[] buckets(long startNanos, int count) {
    Duration[] b = new Duration[count];
    for (int i = 0; i < count; i++) b[i] = Duration.ofNanos(startNanos << i);
    return b;
  }
}
