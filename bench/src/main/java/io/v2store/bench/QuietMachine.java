package io.v2store.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Waits, before a compared round, until the rest of the machine has stopped working: the cores
 * the previous round's side still spends after its last answer would otherwise be charged to the
 * next round's side. Seen in a run against etcd: after each etcd round of 64-connection quorum
 * reads (each a Raft entry there), its members went on using 0.6-1.0 of the 2 cores for ~7 s
 * (a v2 store snapshot every 100,000 entries), and ours, measured meanwhile, read at 41,000-
 * 50,000 req/s against 79,000-82,000 on the quiet machine just before.
 *
 * <p>Linux only: it reads /proc/stat (every core) and /proc/self/stat (this process, which is not
 * counted: its collector and compiler run between rounds). Elsewhere it does not wait.
 */
final class QuietMachine {
  /** What waiting found: how long it waited, the load it last saw, and whether that was quiet. */
  record Settle(long waitedMillis, double busyCores, boolean quiet) {
    String toJson() {
      return String.format(Locale.ROOT, "{\"waitedMillis\":%d,\"busyCores\":%.2f,\"quiet\":%s}",
          waitedMillis, busyCores, quiet);
    }
  }

  /** Busy and total CPU time so far, in clock ticks: the machine's, and this process's own. */
  record Sample(long machineBusy, long machineTotal, long self) {}

  interface Sampler {
    /** Null when the counters cannot be read (not Linux). */
    Sample sample();
  }

  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  static final long WINDOW_MILLIS = 500;

  private final Sampler sampler;
  private final Sleeper sleeper;
  private final long maxWaitMillis;
  private final double quietCores;
  private final int cores;

  /**
   * @param maxWaitMillis the longest wait before a round (0: none); a machine that never gets
   *     quiet (a neighbour's job) costs each round this long, and the result says it was not quiet
   * @param quietCores below this many busy cores (all processes but this one) the machine counts
   *     as quiet
   */
  QuietMachine(long maxWaitMillis, double quietCores) {
    this(QuietMachine::readProc, Thread::sleep, maxWaitMillis, quietCores,
        Runtime.getRuntime().availableProcessors());
  }

  QuietMachine(Sampler sampler, Sleeper sleeper, long maxWaitMillis, double quietCores,
      int cores) {
    this.sampler = sampler;
    this.sleeper = sleeper;
    this.maxWaitMillis = maxWaitMillis;
    this.quietCores = quietCores;
    this.cores = cores;
  }

  boolean enabled() {
    return maxWaitMillis > 0;
  }

  /** Waits window by window until one was quiet, or the longest wait is spent. */
  Settle await() throws InterruptedException {
    if (!enabled()) return new Settle(0, 0, true);
    Sample before = sampler.sample();
    if (before == null) return new Settle(0, 0, true);
    long waited = 0;
    double busy;
    while (true) {
      sleeper.sleep(WINDOW_MILLIS);
      waited += WINDOW_MILLIS;
      Sample after = sampler.sample();
      if (after == null) return new Settle(waited, 0, true);
      busy = busyCores(before, after);
      if (busy < quietCores) return new Settle(waited, busy, true);
      if (waited >= maxWaitMillis) return new Settle(waited, busy, false);
      before = after;
    }
  }

  /** Cores in use between two samples by everything but this process. */
  double busyCores(Sample before, Sample after) {
    long total = after.machineTotal() - before.machineTotal();
    if (total <= 0) return 0;
    long others = (after.machineBusy() - before.machineBusy()) - (after.self() - before.self());
    return Math.max(0, others) * (double) cores / total;
  }

  private static Sample readProc() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String self = Files.readString(Path.of("/proc/self/stat"));
      return parse(cpu, self);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The first line of /proc/stat ("cpu user nice system idle iowait irq softirq steal ...") and
   * /proc/self/stat, whose 14th and 15th fields (counted after the command in parentheses, which
   * may hold spaces) are this process's user and system ticks.
   */
  static Sample parse(String cpuLine, String selfStat) {
    String[] f = cpuLine.trim().split("\\s+");
    long total = 0;
    long idle = 0;
    // guest times are already inside user and nice: fields 9 and 10 are not added again
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      long v = Long.parseLong(f[i]);
      total += v;
      if (i == 4 || i == 5) idle += v; // idle, iowait
    }
    String[] s = selfStat.substring(selfStat.lastIndexOf(')') + 2).split(" ");
    long self = Long.parseLong(s[11]) + Long.parseLong(s[12]);
    return new Sample(total - idle, total, self);
  }
}
