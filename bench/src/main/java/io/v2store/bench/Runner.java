package io.v2store.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;

/** Runs one configured workload: picks the targets, loads what reads need, then drives it. */
final class Runner {
  private final PrintStream err;
  private QuietMachine.Settle lastSettle = new QuietMachine.Settle(0, 0, true);

  Runner(PrintStream err) {
    this.err = err;
  }

  RunResult run(BenchConfig config) throws IOException, InterruptedException {
    return run(config, new QuietMachine(0, 1));
  }

  /** The same, once the machine is quiet: after the keys are loaded, before the load starts. */
  RunResult run(BenchConfig config, QuietMachine quiet) throws IOException, InterruptedException {
    Setup setup = new Setup();
    List<URI> targets = config.toLeader() ? setup.leaders(config.endpoints()) : config.endpoints();
    if (config.mode() == Mode.GET || config.mode() == Mode.MIXED) {
      // Idempotent: a second run (compare's rounds) rewrites the same keys with the same value.
      setup.loadKeys(targets.get(0), config.prefix(), config.keyCount(), config.valueBytes());
    }
    lastSettle = quiet.await();
    return config.mode() == Mode.WATCH
        ? new WatchFanout(config, targets, err).run()
        : new LoadRun(config, targets, err).run();
  }

  /** What the last run's wait for a quiet machine found. */
  QuietMachine.Settle lastSettle() {
    return lastSettle;
  }
}
