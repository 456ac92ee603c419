package io.v2store.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The member's Prometheus registry, which can also export gauges whose names the Prometheus
 * client refuses: etcd names one gauge with a counter's "_total" suffix
 * (etcd_server_snapshot_apply_in_progress_total), and dashboards query it by that name.
 */
final class EtcdMeterRegistry extends PrometheusMeterRegistry {
  private record RawGauge(String name, String help, IntSupplier value) {}

  private final List<RawGauge> rawGauges = new CopyOnWriteArrayList<>();

  EtcdMeterRegistry() {
    super(PrometheusConfig.DEFAULT);
  }

  /** A gauge written as given, after everything the client writes. Register before serving. */
  void gaugeNamedAsIs(String name, String help, IntSupplier value) {
    rawGauges.add(new RawGauge(name, help, value));
  }

  @Override
  public String scrape() {
    StringBuilder text = new StringBuilder(super.scrape());
    for (RawGauge g : rawGauges) {
      text.append("# HELP ").append(g.name()).append(' ').append(g.help()).append('\n')
          .append("# TYPE ").append(g.name()).append(" gauge\n")
          .append(g.name()).append(' ').append(g.value().getAsInt()).append('\n');
    }
    return text.toString();
  }
}
