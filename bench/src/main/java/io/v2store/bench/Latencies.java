package io.v2store.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Thread-safe latency and outcome recording for one run. The I/O threads record; the progress
 * line and the final summary read interval or whole-run histograms without stopping them.
 */
final class Latencies {
  /** Anything above a minute is recorded as a minute: the histogram must stay bounded. */
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

  private final Recorder recorder = new Recorder(MAX_MICROS, 3);
  private final Histogram total = new Histogram(MAX_MICROS, 3);
  private final LongAdder errors = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final ErrorKinds errorKinds = new ErrorKinds();

  void recordNanos(long nanos) {
    recorder.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1_000)));
    ok.increment();
  }

  /** A failed request, with why it failed (see ErrorKinds). */
  void error(String kind) {
    errors.increment();
    errorKinds.add(kind);
  }

  List<ErrorKinds.Kind> errorKinds() {
    return errorKinds.snapshot();
  }

  long ok() {
    return ok.sum();
  }

  long errors() {
    return errors.sum();
  }

  /** Moves what was recorded since the last call into the whole-run histogram and returns it. */
  synchronized Histogram interval() {
    Histogram interval = recorder.getIntervalHistogram();
    total.add(interval);
    return interval;
  }

  /** Forgets everything recorded so far (the end of a warm-up). */
  synchronized void reset() {
    recorder.reset();
    total.reset();
    errors.reset();
    errorKinds.reset();
    ok.reset();
  }

  synchronized Summary summary() {
    interval();
    return Summary.of(total);
  }

  /** Percentiles in microseconds. */
  record Summary(long count, long p50Micros, long p90Micros, long p99Micros, long maxMicros) {
    static Summary of(Histogram h) {
      if (h.getTotalCount() == 0) return new Summary(0, 0, 0, 0, 0);
      return new Summary(h.getTotalCount(), h.getValueAtPercentile(50),
          h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getMaxValue());
    }
  }
}
