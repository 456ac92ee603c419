package io.v2store.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/** The live line on stderr: each second, the last second's rate and p99. */
final class Progress implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-progress");
    t.setDaemon(true);
    return t;
  });
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private boolean printed;

  Progress(PrintStream out, String label, Latencies latencies, Supplier<String> extra,
      boolean enabled) {
    this.out = out;
    if (!enabled) return;
    timer.scheduleAtFixedRate(() -> {
      Histogram h = latencies.interval();
      long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
      synchronized (this) {
        printed = true;
        out.printf(Locale.ROOT, "\r[%3ds] %s: %7d/s  p99 %8.2f ms  errors %d %s   ", seconds,
            label, h.getTotalCount(), h.getValueAtPercentile(99) / 1000.0, latencies.errors(),
            extra.get());
        out.flush();
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (this) {
      if (printed) out.println();
    }
  }
}
