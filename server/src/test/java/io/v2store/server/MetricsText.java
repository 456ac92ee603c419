package io.v2store.server;

/** Reading one sample out of a /metrics page (Prometheus text), for tests. */
final class MetricsText {
  private MetricsText() {}

  /** The value of the line for {@code series} (name and labels as written), or NaN when absent. */
  static double value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1));
    }
    return Double.NaN;
  }
}
