package io.v2store.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.Watch;
import io.v2store.storage.store.WatchSink;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A parked watch response: the sink the key space delivers to, on the apply thread. It never
 * blocks: it hands the event's shared bytes to Netty and returns. A watcher whose connection
 * cannot drain (more than {@link #MAX_PENDING_EVENTS} events or {@link #MAX_PENDING_BYTES} not yet
 * written) is cut, as etcd closes a watcher whose 100-event buffer overflows.
 */
final class WatchResponder implements WatchSink {
  static final int MAX_PENDING_EVENTS = 100;
  static final long MAX_PENDING_BYTES = 4L << 20;
  /** The watch parked on a connection, if one is. */
  static final AttributeKey<WatchResponder> PARKED = AttributeKey.valueOf("v2store.parkedWatch");

  private final ChannelHandlerContext ctx;
  private final boolean stream;
  private final Function<Event, byte[]> sharedEncoder;
  private final ParkedWatches parked;
  private final AtomicBoolean done = new AtomicBoolean();
  private final AtomicInteger pendingEvents = new AtomicInteger();
  private final AtomicLong pendingBytes = new AtomicLong();
  /**
   * Cancels the watch when the client goes away. Removed again once the watch is done: a
   * keep-alive connection re-arms thousands of watches (confd does, for days), and a hook left on
   * its close future would hold every answered responder, and its Watch, until it closes.
   */
  private final GenericFutureListener<Future<? super Void>> onClose = f -> finish();
  private volatile Watch watch;

  WatchResponder(ChannelHandlerContext ctx, boolean stream, Function<Event, byte[]> sharedEncoder,
      ParkedWatches parked) {
    this.ctx = ctx;
    this.stream = stream;
    this.sharedEncoder = sharedEncoder;
    this.parked = parked;
  }

  /** Called once registration succeeded: the client going away cancels the watch at once. */
  void parked(Watch registered) {
    this.watch = registered;
    parked.add(this);
    ctx.channel().attr(PARKED).set(this);
    ctx.channel().closeFuture().addListener(onClose);
    if (done.get()) {
      forget(); // a one-shot answered before registration returned
    } else if (ctx.channel() instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
      endForClientEnd(); // the client ended its side while this request waited its turn
    }
  }

  private void forget() {
    parked.remove(this);
    ctx.channel().attr(PARKED).compareAndSet(this, null);
    ctx.channel().closeFuture().removeListener(onClose);
  }

  /**
   * The client ended its side of the connection: ends the response, empty, as etcd's watch
   * returns when its client goes (the connection then closes: {@link InOrderRequests}).
   */
  void endForClientEnd() {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    cancelWatch();
    forget();
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  @Override
  public boolean deliver(Event event) {
    if (done.get() || !ctx.channel().isActive()) {
      finish();
      return false;
    }
    byte[] bytes = event.encoded(sharedEncoder);
    if (!stream) {
      if (done.compareAndSet(false, true)) {
        forget();
        ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes)));
      }
      return false;
    }
    if (pendingEvents.get() >= MAX_PENDING_EVENTS || pendingBytes.get() >= MAX_PENDING_BYTES) {
      cut();
      return false;
    }
    pendingEvents.incrementAndGet();
    pendingBytes.addAndGet(bytes.length);
    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes))).addListener(f -> {
      pendingEvents.decrementAndGet();
      pendingBytes.addAndGet(-bytes.length);
    });
    return true;
  }

  /** A slow consumer: close its connection rather than buffer without bound. */
  private void cut() {
    finish();
    ctx.channel().close();
  }

  /**
   * Closes the connection before the response ends, as etcd's shutdown does: clients read a
   * broken response and go to another member (python-etcd moves on only after a failed request);
   * null if the response had already ended.
   */
  ChannelFuture endForShutdown() {
    if (!done.compareAndSet(false, true)) {
      return null;
    }
    cancelWatch();
    forget();
    return ctx.channel().close();
  }

  private void finish() {
    done.set(true);
    cancelWatch();
    forget();
  }

  private void cancelWatch() {
    Watch w = watch;
    if (w != null) {
      w.cancel();
    }
  }
}
