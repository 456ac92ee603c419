package io.v2store.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W long-poll watchers and one writer at a steady rate. Each watcher re-arms with
 * {@code waitIndex = modifiedIndex + 1} after every event, as a careful client does; the writer
 * writes its sequence number as the value, so a watcher that skips one is seen. Latency per write:
 * from the write's acknowledgement to the moment the last watcher had its event.
 */
final class WatchFanout {
  private final BenchConfig config;
  private final List<URI> targets;
  private final PrintStream err;
  private final Latencies latencies = new Latencies();
  private final Latencies writerLatencies = new Latencies();
  private final AtomicInteger armed = new AtomicInteger();
  private final AtomicInteger acked = new AtomicInteger();
  /** Writes answered, failed ones included: the sequence numbers used, 0 to this. */
  private final AtomicInteger answered = new AtomicInteger();
  /** Events the watchers have had, all together. */
  private final AtomicLong arrivals = new AtomicLong();
  private final String watchPath;
  private final String writeKey;
  /** A watcher's request up to its waitIndex: the same for every watcher and every re-arm. */
  private final byte[] beforeIndex;
  private volatile FanoutTracker tracker;
  private final FanoutTrace trace;
  private volatile boolean stopping;

  WatchFanout(BenchConfig config, List<URI> targets, PrintStream err) {
    this.config = config;
    this.targets = targets;
    this.err = err;
    String base = config.prefix() + "/watch-" + Long.toString(System.nanoTime(), 36);
    this.watchPath = config.recursive() ? base : base + "/key";
    this.writeKey = base + "/key";
    this.beforeIndex = ("GET /v2/keys" + watchPath + "?wait=true"
        + (config.recursive() ? "&recursive=true" : "") + "&waitIndex=")
        .getBytes(StandardCharsets.US_ASCII);
    this.trace = config.trace() ? new FanoutTrace(config.watchers(), targets.size()) : null;
  }

  RunResult run() throws IOException, InterruptedException {
    long seconds = Math.max(1, config.durationMillis() / 1000 + 1);
    int maxWrites = (int) Math.min(Integer.MAX_VALUE - 8, config.requestCount() > 0
        ? config.requestCount() : (long) config.writesPerSecond() * seconds + 8);
    long startIndex = new Setup().putForIndex(targets.get(0), writeKey, "-1");
    try (ClientPool pool = new ClientPool(config.ioThreads());
        Progress progress = new Progress(err, "watch", latencies,
            () -> "armed " + armed.get() + " acked " + acked.get(), config.progress())) {
      List<ChannelFuture> watchers = pool.connect(targets, config.watchers(),
          () -> new Watcher(startIndex + 1), false);
      // A watcher that could not connect is an error, not W misses per write: the events are
      // counted, and timed, over the watchers that watch.
      int watching = 0;
      for (ChannelFuture f : watchers) {
        if (f.isSuccess()) {
          watching++;
        } else {
          latencies.error("watch: connect failed: " + f.cause());
        }
      }
      if (watching == 0) {
        throw new IOException("no watcher could connect: " + watchers.get(0).cause());
      }
      tracker = new FanoutTracker(watching, maxWrites, latencies);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (armed.get() < watching && System.nanoTime() < deadline) {
        Thread.sleep(10); // a tool, not a test: the parked count has no event to wait on
      }
      Thread.sleep(config.warmupMillis()); // let the last requests reach the server and park
      CountDownLatch writerDone = new CountDownLatch(1);
      List<ChannelFuture> writer = pool.connect(List.of(targets.get(0)), 1,
          () -> new Writer(maxWrites, writerDone), true);
      long startNanos = System.nanoTime();
      awaitWriter(writerDone, startNanos);
      long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
      // Watchers that re-arm after --rearm-after fetch the writes they were away for one poll
      // at a time: while events still arrive, they are catching up, and what they have not
      // fetched yet is not missed. The wait ends when no event came for the window.
      long window = TimeUnit.MILLISECONDS.toNanos(config.drainMillis() + config.rearmMillis());
      long drainUntil = System.nanoTime() + window;
      long seen = arrivals.get();
      while (!tracker.complete(answered.get()) && System.nanoTime() < drainUntil) {
        Thread.sleep(10);
        if (arrivals.get() != seen) {
          seen = arrivals.get();
          drainUntil = System.nanoTime() + window;
        }
      }
      stopping = true;
      writer.forEach(f -> f.channel().close());
      watchers.forEach(f -> f.channel().close());
      if (trace != null) trace.print(err, tracker);
      Latencies.Summary s = latencies.summary();
      return new RunResult(config.describe(), targets.toString(), acked.get(),
          latencies.errors(), elapsedMillis, s, tracker.missed(answered.get()),
          writerLatencies.summary(), latencies.errorKinds());
    }
  }

  /**
   * Until the writer is done: at most the duration and the drain, and by count only while its
   * writes are answered within the answer timeout. A write left unanswered is an error, not a
   * hang.
   */
  private void awaitWriter(CountDownLatch writerDone, long startNanos)
      throws InterruptedException {
    long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(config.durationMillis()
        + config.drainMillis());
    int seen = -1;
    long lastAnswerNanos = startNanos;
    while (!writerDone.await(100, TimeUnit.MILLISECONDS)) {
      long now = System.nanoTime();
      if (answered.get() != seen) {
        seen = answered.get();
        lastAnswerNanos = now;
      }
      if ((config.durationMillis() > 0 && now - deadline > 0)
          || now - lastAnswerNanos > TimeUnit.MILLISECONDS.toNanos(config.answerTimeoutMillis())) {
        latencies.error("write: no answer");
        return;
      }
    }
  }

  private int endpointIndex(ChannelHandlerContext ctx) {
    int port = ((InetSocketAddress) ctx.channel().remoteAddress()).getPort();
    for (int i = 0; i < targets.size(); i++) {
      if (targets.get(i).getPort() == port) return i;
    }
    return 0;
  }

  private static String host(ChannelHandlerContext ctx) {
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    return remote.getHostString() + ":" + remote.getPort();
  }

  /** One parked long-poll, re-armed after each event from the index it saw. */
  private final class Watcher extends SimpleChannelInboundHandler<FullHttpResponse> {
    private long waitIndex;
    /** The writer's number of the last event this watcher had. */
    private long lastSeq = -1;
    private boolean counted;
    /** The request's bytes after the index: the rest of the request line and the head. */
    private byte[] afterIndex;

    Watcher(long waitIndex) {
      this.waitIndex = waitIndex;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      afterIndex = (" HTTP/1.1\r\nHost: " + host(ctx) + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      arm(ctx);
    }

    /** GET {watchPath}?wait=true[&recursive=true]&waitIndex=N, written as bytes. */
    private void arm(ChannelHandlerContext ctx) {
      String index = Long.toString(waitIndex);
      ByteBuf request = ctx.alloc().buffer(beforeIndex.length + index.length() + afterIndex.length);
      request.writeBytes(beforeIndex);
      request.writeCharSequence(index, StandardCharsets.US_ASCII);
      request.writeBytes(afterIndex);
      ctx.writeAndFlush(request).addListener(f -> {
        if (f.isSuccess() && !counted) {
          counted = true;
          armed.incrementAndGet();
        }
      });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      long now = System.nanoTime();
      if (response.status().code() == 200) {
        long index = WatchBody.modifiedIndex(response.content());
        long seq = WatchBody.valueNumber(response.content());
        if (seq >= 0 && seq <= lastSeq) {
          // The writer's numbers only grow: counted again, it would stand in for another
          // watcher's miss of the same write.
          latencies.error("watch: an event it had already");
        } else if (seq >= 0) {
          lastSeq = seq;
          arrivals.incrementAndGet();
          tracker.arrived((int) seq, now);
          if (trace != null) trace.arrived((int) seq, now, endpointIndex(ctx));
        }
        // A poll that ends without an event (a server stopping may end it so) is retried from
        // the same index, as etcd's own client does; waitIndex 0 would skip what came between.
        if (index >= 0) waitIndex = index + 1;
      } else {
        // 401 "event cleared": history moved past us; the skipped writes show up as missed.
        latencies.error("watch: " + ErrorKinds.of(response));
        long index = WatchBody.errorIndex(response.content());
        if (index < 0) {
          ctx.close();
          return;
        }
        waitIndex = index + 1;
      }
      if (stopping) {
        return;
      }
      if (config.rearmMillis() > 0) {
        ctx.executor().schedule(() -> arm(ctx), config.rearmMillis(), TimeUnit.MILLISECONDS);
      } else {
        arm(ctx);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!stopping) latencies.error("watch: " + ErrorKinds.CLOSED);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** The one writer: a write every 1/rate seconds, never two in flight. */
  private final class Writer extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final int maxWrites;
    private final CountDownLatch done;
    private long firstNanos;
    private int seq;
    private boolean inFlight;
    private boolean owed;
    private long ticks;
    private long sentNanos;
    private ChannelHandlerContext ctx;

    Writer(int maxWrites, CountDownLatch done) {
      this.maxWrites = maxWrites;
      this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      this.ctx = ctx;
      firstNanos = System.nanoTime();
      tick();
    }

    private boolean finished() {
      long elapsed = System.nanoTime() - firstNanos;
      return seq >= maxWrites || (config.requestCount() > 0 && seq >= config.requestCount())
          || (config.durationMillis() > 0 && elapsed >= config.durationMillis() * 1_000_000L);
    }

    private void tick() {
      if (finished()) {
        if (!inFlight) done.countDown();
        return;
      }
      ticks++;
      if (inFlight) {
        owed = true; // the disk is slower than the rate: send as soon as the answer arrives
      } else {
        send();
      }
      long next = firstNanos + ticks * 1_000_000_000L / config.writesPerSecond();
      ctx.executor().schedule(this::tick, Math.max(0, next - System.nanoTime()),
          TimeUnit.NANOSECONDS);
    }

    private void send() {
      inFlight = true;
      owed = false;
      byte[] body = ("value=" + seq).getBytes(StandardCharsets.US_ASCII);
      sentNanos = System.nanoTime();
      ctx.writeAndFlush(RequestFactory.put(host(ctx), writeKey, body));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      long now = System.nanoTime();
      inFlight = false;
      int code = response.status().code();
      if (code == 200 || code == 201) {
        writerLatencies.recordNanos(now - sentNanos);
        tracker.acked(seq, now);
        acked.incrementAndGet();
      } else {
        latencies.error("write: " + ErrorKinds.of(response));
      }
      seq++;
      answered.set(seq);
      if (finished()) {
        done.countDown();
      } else if (owed) {
        send();
      }
    }

    /** A closed connection ends the writes: nothing more can be sent on it. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!stopping && !finished()) latencies.error("write: " + ErrorKinds.CLOSED);
      done.countDown();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.countDown();
      ctx.close();
    }
  }
}
