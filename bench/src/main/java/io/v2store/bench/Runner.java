package io.v2store.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;

/** Runs one configured workload: picks the targets, loads what reads need, then drives it. */
final class Runner {
  private final PrintStream err;

  Runner(PrintStream err) {
    this.err = err;
  }

  RunResult run(BenchConfig config) throws IOException, InterruptedException {
    Setup setup = new Setup();
    List<URI> targets = config.toLeader() ? setup.leaders(config.endpoints()) : config.endpoints();
    if (config.mode() == Mode.GET || config.mode() == Mode.MIXED) {
      // Idempotent: a second run (compare's rounds) rewrites the same keys with the same value.
      setup.loadKeys(targets.get(0), config.prefix(), config.keyCount(), config.valueBytes());
    }
    return config.mode() == Mode.WATCH
        ? new WatchFanout(config, targets, err).run()
        : new LoadRun(config, targets, err).run();
  }
}
