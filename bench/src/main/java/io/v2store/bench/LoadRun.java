package io.v2store.bench;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop put, get or mixed run: every connection keeps exactly one request in flight and
 * sends the next as soon as the answer arrives, for a duration or a request count. Only answers
 * that arrive between the end of the warm-up and the stop are measured.
 */
final class LoadRun {
  private final BenchConfig config;
  private final List<URI> targets;
  private final PrintStream err;
  private final RequestFactory requests;
  private final Latencies latencies = new Latencies();
  private volatile boolean measuring;
  private volatile boolean stopping;
  private volatile long stopNanos;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong counted = new AtomicLong();
  private CountDownLatch finished;
  private final List<String> lostBeforeMeasuring = new ArrayList<>();

  LoadRun(BenchConfig config, List<URI> targets, PrintStream err) {
    this.config = config;
    this.targets = targets;
    this.err = err;
    this.requests = new RequestFactory(config, Long.toString(System.nanoTime(), 36));
  }

  RunResult run() throws InterruptedException {
    finished = new CountDownLatch(config.connections());
    try (ClientPool pool = new ClientPool(config.ioThreads());
        Progress progress = new Progress(err, config.mode().json(), latencies,
            () -> "conns " + open.get(), config.progress())) {
      List<ChannelFuture> conns = pool.connect(targets, config.connections(), Conn::new, true);
      for (ChannelFuture f : conns) {
        if (!f.isSuccess()) {
          lost("connect failed: " + f.cause());
          finished.countDown();
        }
      }
      sleepUnlessStopped(config.warmupMillis());
      synchronized (lostBeforeMeasuring) {
        latencies.reset();
        // After the warm-up's reset: a connection that never opened, or was lost during the
        // warm-up, is missing from the whole measured run, and a run with none left must not
        // read as a clean one.
        lostBeforeMeasuring.forEach(latencies::error);
        measuring = true;
      }
      long startNanos = System.nanoTime();
      boolean silent = false;
      if (config.requestCount() > 0 && config.durationMillis() <= 0) {
        // stopped by the handler that records the last counted answer, or when no answer has
        // come for the answer timeout: a server that stopped answering must not hold the run
        // forever
        long answers = -1;
        long lastAnswerNanos = System.nanoTime();
        while (!finished.await(100, TimeUnit.MILLISECONDS)) {
          long now = latencies.ok() + latencies.errors();
          if (now != answers) {
            answers = now;
            lastAnswerNanos = System.nanoTime();
          } else if (System.nanoTime() - lastAnswerNanos
              > config.answerTimeoutMillis() * 1_000_000) {
            silent = true;
            break;
          }
        }
        stop(); // a no-op unless every connection died first
      } else {
        sleepUnlessStopped(config.durationMillis());
        stop();
      }
      if (!silent) finished.await(config.answerTimeoutMillis(), TimeUnit.MILLISECONDS);
      // A connection still waiting had no answer for the answer timeout: not a clean end either.
      for (long i = finished.getCount(); i > 0; i--) {
        latencies.error("no answer within " + config.answerTimeoutText());
      }
      conns.forEach(f -> f.channel().close());
      long elapsedMillis = Math.max(1, (stopNanos - startNanos) / 1_000_000);
      Latencies.Summary s = latencies.summary();
      return new RunResult(config.describe(), targets.toString(), s.count(), latencies.errors(),
          elapsedMillis, s, -1, null, latencies.errorKinds());
    }
  }

  /** A connection ended by a failure: an error of the measured run, even before it began. */
  private void lost(String why) {
    synchronized (lostBeforeMeasuring) {
      if (!measuring) {
        lostBeforeMeasuring.add(why);
        return;
      }
    }
    if (!stopping) latencies.error(why);
  }

  /** Waits, but returns early when a request count has been reached or every connection died. */
  private void sleepUnlessStopped(long millis) throws InterruptedException {
    finished.await(millis, TimeUnit.MILLISECONDS);
  }

  private synchronized void stop() {
    if (!stopping) {
      stopNanos = System.nanoTime();
      stopping = true;
    }
  }

  /** One connection: one request in flight, the next sent from the answer's callback. */
  private final class Conn extends SimpleChannelInboundHandler<FullHttpResponse> {
    private long sentNanos;
    private String host;
    private boolean done;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      open.incrementAndGet();
      java.net.InetSocketAddress remote = (java.net.InetSocketAddress) ctx.channel().remoteAddress();
      host = remote.getHostString() + ":" + remote.getPort();
      send(ctx);
    }

    private void send(ChannelHandlerContext ctx) {
      sentNanos = System.nanoTime();
      ctx.writeAndFlush(requests.next(host));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      long nanos = System.nanoTime() - sentNanos;
      if (measuring && !stopping) {
        boolean counts = true;
        if (config.requestCount() > 0) {
          // Each answer claims its place first: two event loops answering at once must not
          // both count as the last one.
          long place = counted.incrementAndGet();
          counts = place <= config.requestCount();
          if (place >= config.requestCount()) stop();
        }
        if (counts) {
          int status = response.status().code();
          if (status == 200 || status == 201) {
            latencies.recordNanos(nanos);
          } else {
            latencies.error(ErrorKinds.of(response));
          }
        }
      }
      if (stopping) {
        finish(ctx);
      } else {
        send(ctx);
      }
    }

    private void finish(ChannelHandlerContext ctx) {
      if (!done) {
        done = true;
        finished.countDown();
        ctx.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open.decrementAndGet();
      if (!done) lost(ErrorKinds.CLOSED);
      finish(ctx);
    }

    /** An answer that cannot be read, or a failed socket: the connection is lost. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!done) lost(String.valueOf(cause));
      finish(ctx);
    }
  }
}
