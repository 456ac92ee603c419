package io.v2store.bench.jmh;

import io.v2store.storage.store.KeySpace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * A snapshot's decoding into a fresh key space: what a restart and a follower's snapshot install
 * do before the member serves. {@code keys} keys of 100 bytes in one directory, the memory
 * benchmark's shape; 670,000 is a count whose directory table, restored in the snapshot's (hash)
 * order into a growing table, hit linear probing's worst case before each directory was sized
 * for its children up front.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SnapshotRestoreBenchmark {
  @Param({"100000", "670000", "1000000"})
  public int keys;

  private byte[] snapshot;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    KeySpace keySpace = new KeySpace(KeySpace.DEFAULT_HISTORY);
    String value = "v".repeat(100);
    for (int i = 0; i < keys; i++) {
      keySpace.set("/mem/put-" + Long.toString(1_000_000_000L + i * 7919L, 36), false, value,
          0, false);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    keySpace.writeSnapshot(out);
    snapshot = out.toByteArray();
  }

  @Benchmark
  public KeySpace restoreSnapshot() throws IOException {
    KeySpace restored = new KeySpace(KeySpace.DEFAULT_HISTORY);
    restored.restoreSnapshot(new ByteArrayInputStream(snapshot));
    return restored;
  }
}
