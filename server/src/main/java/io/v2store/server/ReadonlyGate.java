package io.v2store.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.v2store.http.DateHeader;
import java.nio.charset.StandardCharsets;

/**
 * --proxy readonly: between the client's decoded requests and the byte relay to a member, lets
 * GETs through (re-encoded as they came) and answers anything else itself as etcd's readonly
 * proxy does, 501 Not Implemented with no body, keeping the connection. Requests are taken one
 * after another: a client that pipelines a refused request behind a GET may have the 501 first
 * (Go's and curl's clients send the next request only after the answer).
 */
final class ReadonlyGate extends ChannelInboundHandlerAdapter {
  private final EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
  /** Inside a refused request: its body is dropped up to its last part. */
  private boolean refusing;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
      // The decoder reads no further on this connection. A head that does not parse is Go's
      // server's own 400; a body that does not is the error etcd's proxy gets reading it.
      Throwable cause = object.decoderResult().cause();
      ReferenceCountUtil.release(msg);
      if (msg instanceof HttpRequest) {
        badRequest(ctx);
      } else {
        String why = cause instanceof NumberFormatException ? "invalid byte in chunk length"
            : String.valueOf(cause.getMessage());
        ctx.writeAndFlush(Unpooled.wrappedBuffer(ProxyRelay.proxyError("500 Internal Server Error",
            "failed to read request body: " + why))).addListener(ChannelFutureListener.CLOSE);
      }
      return;
    }
    if (msg instanceof HttpRequest request) {
      refusing = !HttpMethod.GET.equals(request.method());
      if (refusing) refuse(ctx, request);
    }
    if (refusing) {
      if (msg instanceof LastHttpContent) refusing = false;
      ReferenceCountUtil.release(msg);
      ctx.read(); // nothing went to the member, whose answer would have asked for more
      return;
    }
    encoder.writeOutbound((HttpObject) msg);
    for (ByteBuf bytes; (bytes = encoder.readOutbound()) != null; ) {
      ctx.fireChannelRead(bytes);
    }
  }

  private static void refuse(ChannelHandlerContext ctx, HttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String head = "HTTP/1.1 501 Not Implemented\r\nDate: " + DateHeader.INSTANCE.now() + "\r\n"
        + (HttpMethod.HEAD.equals(request.method()) ? "" : "Content-Length: 0\r\n")
        + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
    var written = ctx.writeAndFlush(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII));
    if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
  }

  /** What Go's server answers to a request it cannot parse. */
  private static void badRequest(ChannelHandlerContext ctx) {
    String answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Connection: close\r\n\r\n400 Bad Request";
    ctx.writeAndFlush(Unpooled.copiedBuffer(answer, StandardCharsets.US_ASCII))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    encoder.finishAndReleaseAll();
    ctx.fireChannelInactive();
  }
}
