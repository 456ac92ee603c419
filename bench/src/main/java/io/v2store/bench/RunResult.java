package io.v2store.bench;

import java.util.List;
import java.util.Locale;

/**
 * What one run measured. For a watch run, the latencies are from a write's acknowledgement to
 * the moment the last watcher had its event, {@code missedEvents} counts events some watcher
 * never saw (or lost to a 401 "cleared" answer), and {@code writerLatency} is the writer's own
 * time from sending each write to its acknowledgement (null for other modes). {@code errorKinds}
 * says why the errors happened, most frequent first.
 */
record RunResult(
    String workload,
    String target,
    long requests,
    long errors,
    long elapsedMillis,
    Latencies.Summary latency,
    long missedEvents,
    Latencies.Summary writerLatency,
    List<ErrorKinds.Kind> errorKinds) {

  RunResult(String workload, String target, long requests, long errors, long elapsedMillis,
      Latencies.Summary latency, long missedEvents) {
    this(workload, target, requests, errors, elapsedMillis, latency, missedEvents, null);
  }

  RunResult(String workload, String target, long requests, long errors, long elapsedMillis,
      Latencies.Summary latency, long missedEvents, Latencies.Summary writerLatency) {
    this(workload, target, requests, errors, elapsedMillis, latency, missedEvents, writerLatency,
        List.of());
  }

  double requestsPerSecond() {
    return elapsedMillis == 0 ? 0 : requests * 1000.0 / elapsedMillis;
  }

  String toJson() {
    return String.format(Locale.ROOT,
        "{\"workload\":%s,\"target\":%s,\"requests\":%d,\"errors\":%d,\"elapsedMillis\":%d,"
            + "\"requestsPerSecond\":%.1f,\"p50Micros\":%d,\"p90Micros\":%d,\"p99Micros\":%d,"
            + "\"maxMicros\":%d,\"missedEvents\":%d%s%s}",
        quote(workload), quote(target), requests, errors, elapsedMillis, requestsPerSecond(),
        latency.p50Micros(), latency.p90Micros(), latency.p99Micros(), latency.maxMicros(),
        missedEvents, writerLatency == null ? "" : String.format(Locale.ROOT,
            ",\"writerP50Micros\":%d,\"writerP99Micros\":%d", writerLatency.p50Micros(),
            writerLatency.p99Micros()), errorKindsJson());
  }

  /** Empty when there were none, so that a clean run's JSON stays as it was. */
  private String errorKindsJson() {
    if (errorKinds.isEmpty()) return "";
    StringBuilder b = new StringBuilder(",\"errorKinds\":{");
    for (int i = 0; i < errorKinds.size(); i++) {
      if (i > 0) b.append(',');
      b.append(quote(errorKinds.get(i).kind())).append(':').append(errorKinds.get(i).count());
    }
    return b.append('}').toString();
  }

  String toText() {
    return String.format(Locale.ROOT,
        "%s -> %s%n  %d ok, %d errors in %.1f s: %.0f req/s%n"
            + "  latency p50 %s  p90 %s  p99 %s  max %s%s",
        workload, target, requests, errors, elapsedMillis / 1000.0, requestsPerSecond(),
        millis(latency.p50Micros()), millis(latency.p90Micros()), millis(latency.p99Micros()),
        millis(latency.maxMicros()),
        missedEvents >= 0 ? String.format(Locale.ROOT, "%n  missed events %d", missedEvents) : "")
        + (writerLatency == null ? "" : String.format(Locale.ROOT,
            "%n  the writer's own writes: p50 %s  p99 %s", millis(writerLatency.p50Micros()),
            millis(writerLatency.p99Micros())))
        + errorKindsText();
  }

  private String errorKindsText() {
    StringBuilder b = new StringBuilder();
    for (ErrorKinds.Kind k : errorKinds) {
      b.append(String.format(Locale.ROOT, "%n  error %d x %s", k.count(), k.kind()));
    }
    return b.toString();
  }

  static String millis(long micros) {
    return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
