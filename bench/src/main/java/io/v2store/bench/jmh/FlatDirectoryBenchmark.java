package io.v2store.bench.jmh;

import io.v2store.storage.store.EtcdException;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookups in one directory holding {@code keys} keys, the shape services registering under one
 * prefix (and the load generator's unique keys) give the tree: a read of a present key, and of a
 * missing one, the lookup every create makes before it inserts. The directory's hash table is
 * far larger than the CPU caches, so what a probe touches decides the cost.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlatDirectoryBenchmark {
  @Param({"1000", "700000"})
  public int keys;

  private KeySpace keySpace;
  private String[] present;
  private String[] missing;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    keySpace = new KeySpace(KeySpace.DEFAULT_HISTORY);
    String value = "v".repeat(100);
    for (int i = 0; i < keys; i++) keySpace.set("/bench/k" + i, false, value, 0, false);
    present = new String[keys];
    missing = new String[keys];
    for (int i = 0; i < keys; i++) {
      // a stride through the keys, so that consecutive reads do not share cache lines
      present[i] = "/bench/k" + (i * 7919L % keys);
      missing[i] = "/bench/x" + i;
    }
  }

  @Benchmark
  public Event getPresent() {
    String path = present[next];
    next = next + 1 == keys ? 0 : next + 1;
    return keySpace.get(path, false, false);
  }

  @Benchmark
  public Object getMissing() {
    String path = missing[next];
    next = next + 1 == keys ? 0 : next + 1;
    try {
      return keySpace.get(path, false, false);
    } catch (EtcdException notFound) {
      return notFound;
    }
  }
}
