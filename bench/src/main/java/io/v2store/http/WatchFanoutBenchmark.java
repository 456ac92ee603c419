package io.v2store.http;

import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import io.v2store.storage.store.NodeView;
import io.v2store.storage.store.WatchSink;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * One write waking {@code watchers} parked one-shot watchers on its key: the time
 * {@code KeySpace.set} takes on the apply thread to find them, encode the event's JSON once
 * (http-api's shared encoder, as WatchResponder does) and hand the same bytes to each sink. The
 * sinks stand in for WatchResponder without a socket, so the network write is not included.
 * The watchers are re-registered before every invocation (not measured).
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WatchFanoutBenchmark {
  @Param({"10000"})
  public int watchers;

  @Param({"false", "true"})
  public boolean recursive;

  private KeySpace keySpace;
  private Function<Event, byte[]> shared;
  private long delivered;
  private String value;

  @Setup(Level.Trial)
  public void start() {
    keySpace = new KeySpace(KeySpace.DEFAULT_HISTORY);
    EventJsonEncoder encoder = new EventJsonEncoder(Clock.systemUTC());
    shared = encoder::encodeShared;
    value = "v".repeat(100);
    keySpace.set("/fan/key", false, value, NodeView.NEVER, false);
  }

  @Setup(Level.Invocation)
  public void park() {
    WatchSink sink = event -> {
      delivered += event.encoded(shared).length;
      return false; // one-shot: a long-poll gets one event
    };
    String path = recursive ? "/fan" : "/fan/key";
    for (int i = 0; i < watchers; i++) {
      keySpace.watch(path, recursive, false, 0, sink);
    }
  }

  @Benchmark
  public Event oneWriteToAllWatchers() {
    return keySpace.set("/fan/key", false, value, NodeView.NEVER, false);
  }
}
