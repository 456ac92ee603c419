package io.v2store.bench.jmh;

import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import io.v2store.storage.store.RequestApplier;
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
 * The apply loop's work per committed entry: decode the V2Request protobuf from the entry's bytes
 * and apply it to the key space through {@link RequestApplier} (tree walk, node update, history
 * ring, watcher hub with no watchers). {@code keys} = the number of distinct keys written over;
 * 100 values of 100 bytes under one directory, or unique keys in a growing tree of {@code keys}
 * entries per directory before moving to the next.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ApplyBenchmark {
  @Param({"100", "100000"})
  public int keys;

  private KeySpace keySpace;
  private RequestApplier applier;
  private byte[][] entries;
  private int next;

  @Setup(Level.Iteration)
  public void setUp() {
    keySpace = new KeySpace(KeySpace.DEFAULT_HISTORY);
    applier = new RequestApplier(keySpace);
    String value = "v".repeat(100);
    entries = new byte[keys][];
    for (int i = 0; i < keys; i++) {
      entries[i] = V2Request.newBuilder().setId(i + 1).setMethod(V2Request.Method.PUT)
          .setPath("/bench/apply/" + (i / 1000) + "/k" + i).setValue(value).build().toByteArray();
    }
    next = 0;
  }

  @Benchmark
  public Event applyPut() throws Exception {
    byte[] entry = entries[next];
    next = next + 1 == entries.length ? 0 : next + 1;
    return applier.apply(V2Request.parseFrom(entry));
  }
}
