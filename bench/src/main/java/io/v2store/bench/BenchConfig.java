package io.v2store.bench;

import java.net.URI;
import java.util.List;

/**
 * One workload, fully specified. A run stops at {@code durationMillis} or after
 * {@code requestCount} measured requests, whichever is set (a count of 0 means "by duration").
 *
 * @param hotKeys 0 for unique keys (every put a new key), else the number of keys written over
 * @param keyCount the keys a get or mixed run reads (loaded before the run)
 * @param readPercent the share of reads in a mixed run
 * @param watchers long-poll watchers of a watch run; {@code writesPerSecond} paces its one writer
 * @param rearmMillis how long a watcher acts on an event before it re-arms (0: at once)
 * @param answerTimeoutMillis how long a request may go unanswered before it counts as an error
 *     (and a run by count, with nothing answered, ends)
 * @param drainMillis watch: after the writer, how long the run waits for watchers once no event
 *     has arrived for that long (plus {@code rearmMillis})
 * @param trace a watch run prints each write's arrival times on stderr ({@link FanoutTrace})
 */
public record BenchConfig(
    Mode mode,
    List<URI> endpoints,
    boolean toLeader,
    int connections,
    long durationMillis,
    long requestCount,
    long warmupMillis,
    int valueBytes,
    int hotKeys,
    int keyCount,
    boolean quorum,
    int readPercent,
    int watchers,
    boolean recursive,
    int writesPerSecond,
    long rearmMillis,
    long answerTimeoutMillis,
    long drainMillis,
    int ioThreads,
    String prefix,
    boolean json,
    boolean progress,
    boolean trace) {

  /** The largest value whose answers the client reads (ClientPool: 16 MiB per answer). */
  static final int MAX_VALUE_BYTES = 8 << 20;

  public BenchConfig {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) throw new BenchArgs.UsageException("no endpoints");
    if (connections < 1) throw new BenchArgs.UsageException("--conns must be at least 1");
    if (durationMillis <= 0 && requestCount <= 0) {
      throw new BenchArgs.UsageException("give --duration or --requests");
    }
    if (warmupMillis < 0) throw new BenchArgs.UsageException("--warmup must be >= 0");
    if (hotKeys < 0) throw new BenchArgs.UsageException("--hot-keys must be >= 0");
    if ((mode == Mode.GET || mode == Mode.MIXED) && keyCount < 1) {
      throw new BenchArgs.UsageException("--keys must be >= 1: reads need keys to read");
    }
    if (valueBytes < 0) throw new BenchArgs.UsageException("--value-size must be >= 0");
    if (valueBytes > MAX_VALUE_BYTES) {
      // a put's answer carries the value twice (node and prevNode), and answers are read whole
      throw new BenchArgs.UsageException("--value-size must be at most " + MAX_VALUE_BYTES);
    }
    if (readPercent < 0 || readPercent > 100) {
      throw new BenchArgs.UsageException("--read-percent must be 0..100");
    }
    if (mode == Mode.WATCH && watchers < 1) throw new BenchArgs.UsageException("--watchers >= 1");
    if (writesPerSecond < 1) throw new BenchArgs.UsageException("--write-rate must be >= 1");
    if (rearmMillis < 0) throw new BenchArgs.UsageException("--rearm-after must be >= 0");
    if (answerTimeoutMillis <= 0) {
      throw new BenchArgs.UsageException("--answer-timeout must be > 0");
    }
    if (drainMillis < 0) throw new BenchArgs.UsageException("--drain must be >= 0");
    if (ioThreads < 1) throw new BenchArgs.UsageException("--threads must be >= 1");
    if (!prefix.startsWith("/")) throw new BenchArgs.UsageException("--prefix must start with /");
    // Keys are the prefix and "/...": a doubled or trailing slash would make every request's
    // path unclean, which etcd and ours answer with a 301 to the clean one.
    prefix = prefix.replaceAll("/{2,}", "/").replaceAll("/$", "");
  }

  BenchConfig withEndpoints(List<URI> other) {
    return new BenchConfig(mode, other, toLeader, connections, durationMillis, requestCount,
        warmupMillis, valueBytes, hotKeys, keyCount, quorum, readPercent, watchers, recursive,
        writesPerSecond, rearmMillis, answerTimeoutMillis, drainMillis, ioThreads, prefix, json,
        progress, trace);
  }

  /** The answer timeout as errors name it: "30 s", or "250 ms" below a whole second. */
  String answerTimeoutText() {
    return answerTimeoutMillis % 1000 == 0 ? answerTimeoutMillis / 1000 + " s"
        : answerTimeoutMillis + " ms";
  }

  /** A one-line description for tables and JSON. */
  String describe() {
    return switch (mode) {
      case PUT -> "put " + (hotKeys > 0 ? hotKeys + " hot keys" : "unique keys") + ", "
          + valueBytes + " B, " + connections + " conns" + (toLeader ? " to leader" : "");
      case GET -> "get" + (quorum ? " quorum" : "") + ", " + keyCount + " keys, " + connections
          + " conns" + (toLeader ? " to leader" : "");
      case MIXED -> "mixed " + readPercent + "% reads" + (quorum ? " quorum" : "") + ", "
          + connections + " conns";
      case WATCH -> "watch " + watchers + " watchers" + (recursive ? " recursive" : "") + ", "
          + writesPerSecond + " writes/s"
          + (rearmMillis > 0 ? ", re-arm after " + rearmMillis + " ms" : "");
    };
  }
}
