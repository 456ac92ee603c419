package io.v2store.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What etcd's proxy serves at /metrics on its client port: its own request counters
 * (etcd_proxy_*, with etcd's names, labels and help texts) and the process's, not any member's.
 */
final class ProxyMetrics {
  /** Why a request was dropped, etcd's label values. */
  enum Dropped {
    ZERO_ENDPOINTS("zero_endpoints"),
    FAILED_SENDING_REQUEST("failed_sending_request"),
    FAILED_GETTING_RESPONSE("failed_getting_response");

    final String label;

    Dropped(String label) {
      this.label = label;
    }
  }

  private static final Pattern EXPONENT_BOUND = Pattern.compile("le=\"([0-9.]+E-?[0-9]+)\"");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  // the meters by their labels, so that a request does not build a meter's id to find it
  private final Map<String, Counter> incoming = new ConcurrentHashMap<>();
  private final Map<String, Counter> handled = new ConcurrentHashMap<>();
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

  ProxyMetrics() {
    EtcdCompatMetrics.process(registry);
  }

  /** A request the proxy is about to forward. */
  void incoming(String method) {
    incoming.computeIfAbsent(method, m -> Counter.builder("etcd_proxy_requests").tag("method", m)
        .description("Counter requests incoming by method.").register(registry)).increment();
  }

  /** A member answered (its head came) startNanos after the request began. */
  void handled(String method, int code, long startNanos) {
    handled.computeIfAbsent(method + " " + code, k -> Counter.builder("etcd_proxy_handled")
        .tag("method", method).tag("code", Integer.toString(code))
        .description("Counter of requests fully handled (by authoratitave servers)")
        .register(registry)).increment();
    durations.computeIfAbsent(method, m -> Timer.builder("etcd_proxy_handling_duration")
        .tag("method", m)
        .description("Bucketed histogram of handling time of successful events (non-watches), "
            + "by method (GET/PUT etc.).")
        // etcd's buckets: 0.5 ms doubling to 2.048 s
        .serviceLevelObjectives(MemberMetrics.etcdBuckets(500_000L, 13))
        .register(registry)).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void dropped(String method, Dropped why) {
    dropped.computeIfAbsent(method + " " + why.label, k -> Counter.builder("etcd_proxy_dropped")
        .tag("method", method).tag("proxying_error", why.label)
        .description("Counter of requests dropped on the proxy.").register(registry)).increment();
  }

  /**
   * The Prometheus text exposition, as /metrics serves it; bucket bounds written as Go writes them
   * (le="0.0005", where Java's double would give le="5.0E-4"), for queries that name a bucket.
   */
  String scrape() {
    Matcher m = EXPONENT_BOUND.matcher(registry.scrape());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String plain = new BigDecimal(m.group(1)).stripTrailingZeros().toPlainString();
      m.appendReplacement(out, Matcher.quoteReplacement("le=\"" + plain + "\""));
    }
    return m.appendTail(out).toString();
  }
}
