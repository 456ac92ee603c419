package io.v2store.server;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Between the client's decoded request parts and {@link ProxyForwarder}: gathers each request
 * whole, as etcd's proxy reads the body before it forwards (so that it can send it again to the
 * next member), and passes on either the request or the answer the proxy gives itself: Go's 400
 * for a head that does not parse, etcd's 500 for a body that does not, and under --proxy readonly
 * etcd's 501 for anything but a GET. Both go to the forwarder in the order the requests came.
 */
final class ProxyRequestReader extends ChannelInboundHandlerAdapter {
  /** etcd's proxy reads any body whole; this bounds what one request may hold in memory. */
  static final int MAX_BODY_BYTES = 64 << 20;

  private final boolean readonly;
  private HttpRequest head;
  private CompositeByteBuf body;
  /** Inside a refused request: its parts are dropped up to its last. */
  private boolean skipping;
  /** After a request that did not parse: Go's server reads nothing more on the connection. */
  private boolean broken;

  ProxyRequestReader(boolean readonly) {
    this.readonly = readonly;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      read(ctx, (HttpObject) msg);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void read(ChannelHandlerContext ctx, HttpObject msg) {
    if (broken) return;
    if (msg.decoderResult().isFailure()) {
      Throwable cause = msg.decoderResult().cause();
      String why = cause instanceof NumberFormatException ? "invalid byte in chunk length"
          : String.valueOf(cause.getMessage());
      give(ctx, msg instanceof HttpRequest ? ProxyOwnAnswer.badRequest()
          : ProxyOwnAnswer.proxyError(HttpResponseStatus.INTERNAL_SERVER_ERROR,
              "failed to read request body: " + why));
      broken = true;
      return;
    }
    if (msg instanceof HttpRequest request) {
      discardBody();
      if (readonly && !HttpMethod.GET.equals(request.method())
          && !ProxyForwarder.isPath(request, ProxyForwarder.METRICS_PATH)) {
        // at once, as etcd's handler answers without reading the body; its parts are dropped
        give(ctx, ProxyOwnAnswer.notImplemented(request.method(), HttpUtil.isKeepAlive(request)));
        skipping = true; // the decoder gives a request's head and its parts apart
        ctx.read();
        return;
      }
      skipping = false;
      head = request;
      if (HttpUtil.is100ContinueExpected(request)) {
        // Go's server sends it once the handler reads the body, which etcd's proxy does at once.
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
      }
    }
    if (skipping) {
      skipping = !(msg instanceof LastHttpContent);
      if (skipping) ctx.read();
      return;
    }
    if (head == null) return;
    if (msg instanceof HttpContent part) {
      int gathered = body == null ? 0 : body.readableBytes();
      if ((long) gathered + part.content().readableBytes() > MAX_BODY_BYTES) {
        give(ctx, ProxyOwnAnswer.proxyError(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "failed to read request body: http: request body too large"));
        broken = true;
        return;
      }
      if (part.content().isReadable()) {
        if (body == null) body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        body.addComponent(true, part.content().retain());
      }
    }
    if (msg instanceof LastHttpContent last) {
      ctx.fireChannelRead(new DefaultFullHttpRequest(head.protocolVersion(), head.method(),
          head.uri(), body == null ? Unpooled.EMPTY_BUFFER : body, head.headers(),
          last.trailingHeaders().copy()));
      body = null;
      head = null;
      return;
    }
    ctx.read(); // the rest of this request
  }

  /** An answer of the proxy's own, then whatever was gathered of its request is dropped. */
  private void give(ChannelHandlerContext ctx, ProxyOwnAnswer answer) {
    discardBody();
    head = null;
    ctx.fireChannelRead(answer);
  }

  private void discardBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    discardBody();
    ctx.fireChannelInactive();
  }
}
