package io.v2store.bench.jmh;

import io.v2store.storage.store.KeySpace;
import java.io.IOException;
import java.io.OutputStream;
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
 * A periodic snapshot's encoding: the whole key space ({@code keys} keys of 256 bytes in one
 * directory, the load generator's unique-key writes) walked and written to a stream that keeps
 * nothing. A member's apply thread does this every 100,000 entries while the state stands still,
 * so its time is a stall of every write on that member; writing to the file adds the kernel's
 * copy on top.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SnapshotWriteBenchmark {
  @Param({"100000", "700000"})
  public int keys;

  private KeySpace keySpace;
  private final CountingSink sink = new CountingSink();

  @Setup(Level.Trial)
  public void setUp() {
    keySpace = new KeySpace(KeySpace.DEFAULT_HISTORY);
    String value = "v".repeat(256);
    for (int i = 0; i < keys; i++) {
      keySpace.set("/bench/put-" + Long.toString(1_000_000_000L + i * 7919L, 36), false, value,
          0, false);
    }
  }

  @Benchmark
  public long writeSnapshot() throws IOException {
    sink.bytes = 0;
    keySpace.writeSnapshot(sink);
    return sink.bytes;
  }

  /** Counts what it is given, so that the writing cannot be optimised away. */
  private static final class CountingSink extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }
}
