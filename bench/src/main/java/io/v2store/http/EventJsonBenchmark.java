package io.v2store.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.v2store.storage.store.Action;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.NodeView;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * http-api's hand-written JSON encoder on the two shapes of the hot path: a {@code set} event
 * with its prevNode (100-byte values) written into a pooled ByteBuf, as a write's response is,
 * and the shared byte[] a watch notification is encoded to once. Lives in http-api's package
 * because the encoder is package-private there.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventJsonBenchmark {
  private EventJsonEncoder encoder;
  private Event setEvent;
  private long nowNanos;

  @Setup
  public void setUp() {
    encoder = new EventJsonEncoder(Clock.systemUTC());
    String value = "v".repeat(100);
    NodeView node = new NodeView("/app/config/service-42", value, false, NodeView.NEVER, null,
        1_234_567, 1_000_000);
    NodeView prev = new NodeView("/app/config/service-42", value, false, NodeView.NEVER, null,
        1_234_000, 1_000_000);
    setEvent = new Event(Action.SET, node, prev, 1_234_567, false);
    nowNanos = encoder.nowNanos();
  }

  @Benchmark
  public int writeResponse() {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(512);
    try {
      encoder.writeEvent(buf, setEvent, false, nowNanos);
      return buf.readableBytes();
    } finally {
      buf.release();
    }
  }

  @Benchmark
  public byte[] encodeShared() {
    return encoder.encodeShared(setEvent);
  }
}
