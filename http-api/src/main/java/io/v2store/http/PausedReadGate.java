package io.v2store.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Between a connection's bytes and the HTTP codec: hands the codec at most {@link #SLICE_BYTES}
 * at a time, and none while reading is paused ({@link InOrderRequests} turns auto-read off when a
 * client has sent many requests it has not had answered). Netty's codec parses every request in
 * the bytes it is handed, so one read (up to 64 KiB) of small pipelined requests became thousands
 * of parsed requests waiting in memory (about 450 KB a connection), where Go's server reads 4 KiB
 * at a time and leaves the rest in the kernel's buffers. The bytes held here wait as they came,
 * and the end of the client's input waits behind them. One instance per connection.
 */
final class PausedReadGate extends ChannelDuplexHandler {
  /** The codec's own chunk size: a body is handed on in parts of this size anyway. */
  static final int SLICE_BYTES = 8192;

  /** Bytes not yet handed on, and the events that came after them, in arrival order. */
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private boolean draining;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf) && held.isEmpty()) {
      ctx.fireChannelRead(msg);
      return;
    }
    held.add(msg);
    drain(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (held.isEmpty()) {
      ctx.fireUserEventTriggered(evt);
    } else {
      held.add(new HeldEvent(evt));
    }
  }

  /**
   * Reading asked for again (auto-read turned back on): the bytes held go first, from a task of
   * their own, as a read from the socket would come; the socket is read once they are all gone.
   */
  @Override
  public void read(ChannelHandlerContext ctx) {
    if (held.isEmpty()) {
      ctx.read();
      return;
    }
    ctx.executor().execute(() -> {
      drain(ctx);
      if (held.isEmpty() && ctx.channel().isActive()) ctx.read();
    });
  }

  private void drain(ChannelHandlerContext ctx) {
    if (draining) return; // a request answered from inside this loop turned reading back on
    draining = true;
    try {
      while (!held.isEmpty() && ctx.channel().config().isAutoRead()) {
        Object next = held.peek();
        if (next instanceof ByteBuf bytes && bytes.readableBytes() > SLICE_BYTES) {
          ctx.fireChannelRead(bytes.readRetainedSlice(SLICE_BYTES));
          continue;
        }
        held.poll();
        if (next instanceof HeldEvent event) {
          ctx.fireUserEventTriggered(event.evt());
        } else {
          ctx.fireChannelRead(next);
        }
      }
    } finally {
      draining = false;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    for (Object msg; (msg = held.poll()) != null; ) {
      ReferenceCountUtil.release(msg instanceof HeldEvent e ? e.evt() : msg);
    }
  }

  private record HeldEvent(Object evt) {}
}
