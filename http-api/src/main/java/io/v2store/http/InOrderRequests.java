package io.v2store.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One request at a time on a connection, as Go's server reads them. A client may send its next
 * requests before the answer (HTTP/1.1 pipelining), and must get the answers in the order it
 * asked; but handlers answer when they can (a write once committed, a watch at its event), so a
 * read answered at once would overtake a write, and an answer written inside a watch's chunked
 * response was lost. A request read while another is unanswered waits here until that answer's
 * last part is written; past {@link #MAX_WAITING} waiting, the connection is not read until they
 * are all answered. One instance per connection.
 */
final class InOrderRequests extends ChannelDuplexHandler {
  static final int MAX_WAITING = 16;

  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private boolean answering;
  private boolean paused;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpRequest)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (answering) {
      waiting.add(msg);
      if (waiting.size() >= MAX_WAITING && !paused) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    answering = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean answered = msg instanceof LastHttpContent && !(msg instanceof HttpResponse r
        && r.status().codeClass() == HttpStatusClass.INFORMATIONAL);
    ctx.write(msg, promise);
    if (!answered) {
      return;
    }
    answering = false;
    if (!waiting.isEmpty()) {
      // not from inside this write: the next request's handler may answer it at once
      ctx.executor().execute(() -> next(ctx));
    } else if (paused) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void next(ChannelHandlerContext ctx) {
    if (answering) {
      return;
    }
    Object msg = waiting.poll();
    if (msg == null) {
      return;
    }
    if (!ctx.channel().isActive()) {
      ReferenceCountUtil.release(msg);
      releaseWaiting();
      return;
    }
    answering = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseWaiting();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseWaiting();
  }

  private void releaseWaiting() {
    for (Object msg; (msg = waiting.poll()) != null; ) {
      ReferenceCountUtil.release(msg);
    }
  }
}
