package io.v2store.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One request at a time on a connection, as Go's server reads them. A client may send its next
 * requests before the answer (HTTP/1.1 pipelining), and must get the answers in the order it
 * asked; but handlers answer when they can (a write once committed, a watch at its event), so a
 * read answered at once would overtake a write, and an answer written inside a watch's chunked
 * response was lost. A request read while another is unanswered waits here, its body parts with
 * it, until that answer's last part is written. Before the handlers that answer by themselves
 * (the host whitelist's 403, the aggregator's "100 Continue" and 413), so theirs come in turn
 * too. Past {@link #MAX_WAITING} requests waiting,
 * the connection is not read until they are all answered, or the last of them, let through,
 * still needs the rest of its body. A request also waits while the
 * connection's buffers are full (the client does not read its answers), as Go's server blocks
 * writing: answered into the buffers, a client's pipelined reads would take a member's memory.
 *
 * <p>A client may end its side of the connection once its request is sent ({@code printf ... |
 * nc -N}, a health check through busybox nc): as Go's server, the requests it sent are answered
 * and then the connection closes; a request whose body was cut short is not (the close comes at
 * once), and a waiting watch ends, empty, as etcd ends it when its client goes (the client may be
 * gone for good, and a parked watch would wait for its event). One instance per connection.
 */
final class InOrderRequests extends ChannelDuplexHandler {
  static final int MAX_WAITING = 16;

  /** Requests and their body parts, in arrival order. */
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private int waitingRequests;
  /** The request being answered (or whose body is still arriving) went through. */
  private boolean answering;
  /** The newest request is waiting here: its body parts wait with it. */
  private boolean newestWaits;
  private boolean paused;
  /** The newest request read so far has all of its body. */
  private boolean newestComplete = true;
  /** The client ended its side: close once the requests it sent are answered. */
  private boolean inputEnded;
  private final AnswersInFlight inFlight;

  InOrderRequests(AnswersInFlight inFlight) {
    this.inFlight = inFlight;
  }

  /** Marks the request let through as being answered, for the server's stop. */
  private void answering() {
    answering = true;
    inFlight.started();
  }

  private void answered() {
    if (answering) inFlight.finished();
    answering = false;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      newestComplete = msg instanceof LastHttpContent;
    } else if (msg instanceof LastHttpContent) {
      newestComplete = true;
    }
    if (msg instanceof HttpRequest) {
      if (answering || waitingRequests > 0 || !ctx.channel().isWritable()) {
        waiting.add(msg);
        waitingRequests++;
        newestWaits = true;
        if (waitingRequests >= MAX_WAITING && !paused) {
          paused = true;
          ctx.channel().config().setAutoRead(false);
        }
        return;
      }
      answering();
    } else if (newestWaits) {
      waiting.add(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean answered = msg instanceof LastHttpContent && !(msg instanceof HttpResponse r
        && r.status().codeClass() == HttpStatusClass.INFORMATIONAL);
    if (answered && (inFlight.stopping() || inputEnded && waitingRequests == 0)) {
      // stopping: no further request on this connection, as Go's server closes it
      promise = promise.unvoid();
      promise.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }
    ctx.write(msg, promise);
    if (!answered) {
      return;
    }
    answered();
    if (waitingRequests > 0) {
      // not from inside this write: the next request's handler may answer it at once
      ctx.executor().execute(() -> next(ctx));
    } else if (paused) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Lets the oldest waiting request through, with those of its body parts that arrived. */
  private void next(ChannelHandlerContext ctx) {
    if (answering || waitingRequests == 0) {
      return;
    }
    if (!ctx.channel().isActive()) {
      releaseWaiting();
      return;
    }
    if (!ctx.channel().isWritable()) {
      return; // until the client has read enough: channelWritabilityChanged
    }
    answering();
    waitingRequests--;
    if (waitingRequests == 0) {
      newestWaits = false; // the parts still to come are this request's
    }
    ctx.fireChannelRead(waiting.poll());
    while (!waiting.isEmpty() && !(waiting.peek() instanceof HttpRequest)) {
      ctx.fireChannelRead(waiting.poll());
    }
    if (waitingRequests == 0 && !newestComplete && paused) {
      // the rest of this request's body is still unread: it can be answered only once read
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      next(ctx);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && !inputEnded) {
      inputEnded = true;
      if (!newestComplete || (!answering && waitingRequests == 0)) {
        // nothing more to answer: what was written goes out first
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
            .addListener(ChannelFutureListener.CLOSE);
      } else {
        WatchResponder watch = ctx.channel().attr(WatchResponder.PARKED).get();
        if (watch != null) {
          watch.endForClientEnd();
        }
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    answered();
    releaseWaiting();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    answered();
    releaseWaiting();
  }

  private void releaseWaiting() {
    for (Object msg; (msg = waiting.poll()) != null; ) {
      ReferenceCountUtil.release(msg);
    }
    waitingRequests = 0;
  }
}
