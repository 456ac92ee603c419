package io.v2store.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The same workload against endpoint sets A and B in alternation (A B A B ...), so that a noisy
 * machine disturbs both alike; reports the median of each side and the ratios A/B.
 */
final class Comparison {
  private final List<RunResult> a = new ArrayList<>();
  private final List<RunResult> b = new ArrayList<>();
  private final List<QuietMachine.Settle> settleA = new ArrayList<>();
  private final List<QuietMachine.Settle> settleB = new ArrayList<>();

  static Comparison run(Runner runner, BenchArgs.Compare command)
      throws IOException, InterruptedException {
    // The load generator's own JIT takes seconds to compile its hot paths: a first round in a
    // fresh process ran at 0.4x the rounds after it, against the same warm cluster, and that
    // first round is always A's. Warm-up rounds here, in this process, spare the measured ones.
    QuietMachine quiet = new QuietMachine(command.settleMillis(), command.settleCores());
    for (int round = 0; round < command.warmupRounds(); round++) {
      runner.run(command.a(), quiet);
      runner.run(command.b(), quiet);
    }
    Comparison c = new Comparison();
    for (int round = 0; round < command.rounds(); round++) {
      RunResult ofA = runner.run(command.a(), quiet);
      QuietMachine.Settle waitA = runner.lastSettle();
      RunResult ofB = runner.run(command.b(), quiet);
      if (quiet.enabled()) {
        c.add(ofA, waitA, ofB, runner.lastSettle());
      } else {
        c.add(ofA, ofB);
      }
    }
    return c;
  }

  Comparison() {}

  void add(RunResult ofA, RunResult ofB) {
    a.add(ofA);
    b.add(ofB);
  }

  /** A round of each side, with what each found when it waited for a quiet machine. */
  void add(RunResult ofA, QuietMachine.Settle waitA, RunResult ofB, QuietMachine.Settle waitB) {
    add(ofA, ofB);
    settleA.add(waitA);
    settleB.add(waitB);
  }

  static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) return 0;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  double throughputRatio() {
    return ratio(median(a, RunResult::requestsPerSecond), median(b, RunResult::requestsPerSecond));
  }

  double p50Ratio() {
    return ratio(median(a, r -> r.latency().p50Micros()), median(b, r -> r.latency().p50Micros()));
  }

  double p99Ratio() {
    return ratio(median(a, r -> r.latency().p99Micros()), median(b, r -> r.latency().p99Micros()));
  }

  private static double ratio(double x, double y) {
    return y == 0 ? Double.NaN : x / y;
  }

  String toJson() {
    return String.format(Locale.ROOT,
        "{\"workload\":%s,\"a\":%s,\"b\":%s,\"ratio\":{\"requestsPerSecond\":%s,\"p50\":%s,"
            + "\"p99\":%s},\"missedEvents\":{\"a\":%d,\"b\":%d}%s}",
        RunResult.quote(a.isEmpty() ? "" : a.get(0).workload()), list(a), list(b),
        num(throughputRatio()), num(p50Ratio()), num(p99Ratio()), missed(a), missed(b),
        settleA.isEmpty() ? "" : ",\"settle\":{\"a\":" + settles(settleA) + ",\"b\":"
            + settles(settleB) + "}");
  }

  String toText() {
    StringBuilder s = new StringBuilder();
    s.append(a.isEmpty() ? "" : a.get(0).workload()).append('\n');
    s.append(String.format(Locale.ROOT, "  %-4s %12s %12s %12s %8s%n", "", "req/s", "p50",
        "p99", "errors"));
    row(s, "A", a);
    row(s, "B", b);
    s.append(String.format(Locale.ROOT, "  A/B  %12.2fx %11.2fx %11.2fx%n", throughputRatio(),
        p50Ratio(), p99Ratio()));
    errorKinds(s, "A", a);
    errorKinds(s, "B", b);
    if (!settleA.isEmpty()) {
      s.append(String.format(Locale.ROOT,
          "  waited for a quiet machine before each round: A up to %.1f s, B up to %.1f s%s%n",
          maxWait(settleA) / 1000.0, maxWait(settleB) / 1000.0,
          notQuiet() > 0 ? " (" + notQuiet() + " round(s) started on a busy machine)" : ""));
    }
    if (missed(a) >= 0) {
      s.append(String.format(Locale.ROOT, "  missed events: A %d, B %d%n", missed(a), missed(b)));
    }
    if (!a.isEmpty() && a.get(0).writerLatency() != null) {
      s.append(String.format(Locale.ROOT, "  the writer's own writes, p50: A %s, B %s%n",
          RunResult.millis((long) median(a, r -> r.writerLatency().p50Micros())),
          RunResult.millis((long) median(b, r -> r.writerLatency().p50Micros()))));
    }
    return s.toString();
  }

  private static void row(StringBuilder s, String side, List<RunResult> runs) {
    s.append(String.format(Locale.ROOT, "  %-4s %12.0f %12s %12s %8d   (median of %d)%n", side,
        median(runs, RunResult::requestsPerSecond),
        RunResult.millis((long) median(runs, r -> r.latency().p50Micros())),
        RunResult.millis((long) median(runs, r -> r.latency().p99Micros())),
        runs.stream().mapToLong(RunResult::errors).sum(), runs.size()));
  }

  /** Why a side's requests failed, summed over its rounds. */
  private static void errorKinds(StringBuilder s, String side, List<RunResult> runs) {
    Map<String, Long> sums = new TreeMap<>();
    for (RunResult r : runs) {
      for (ErrorKinds.Kind k : r.errorKinds()) sums.merge(k.kind(), k.count(), Long::sum);
    }
    sums.forEach((kind, n) -> s.append(String.format(Locale.ROOT, "  %s error %d x %s%n", side,
        n, kind)));
  }

  private static long missed(List<RunResult> runs) {
    return runs.stream().mapToLong(RunResult::missedEvents).max().orElse(-1) < 0 ? -1
        : runs.stream().mapToLong(RunResult::missedEvents).sum();
  }

  private static long maxWait(List<QuietMachine.Settle> settles) {
    return settles.stream().mapToLong(QuietMachine.Settle::waitedMillis).max().orElse(0);
  }

  private long notQuiet() {
    return Stream.concat(settleA.stream(), settleB.stream())
        .filter(x -> !x.quiet()).count();
  }

  private static String settles(List<QuietMachine.Settle> settles) {
    return settles.stream().map(QuietMachine.Settle::toJson).reduce((x, y) -> x + "," + y)
        .map(x -> "[" + x + "]").orElse("[]");
  }

  private static String list(List<RunResult> runs) {
    return runs.stream().map(RunResult::toJson).reduce((x, y) -> x + "," + y)
        .map(x -> "[" + x + "]").orElse("[]");
  }

  private static String num(double d) {
    return Double.isNaN(d) ? "null" : String.format(Locale.ROOT, "%.3f", d);
  }
}
