package io.v2store.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;

/**
 * Answers an HTTP/1.0 request in HTTP/1.0, as Go's server does: the status line says 1.0, and the
 * keep-alive handler before this one then writes Go's Connection header for 1.0 (none when the
 * connection closes, "keep-alive" when the client asked to keep it). Tools that speak 1.0, such
 * as ApacheBench with -k, keep their connections only on that header. A watch's answer is 1.0
 * too, its body unchunked and ended by the close (etcd 3.4.23); the 400s Go's server writes
 * itself stay 1.1. One instance per connection; requests may be pipelined.
 */
final class Http10Answers extends ChannelDuplexHandler {
  private final ArrayDeque<Boolean> http10 = new ArrayDeque<>();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest request) {
      // Netty calls a request it could not parse 1.0; Go's server answers those in 1.1
      http10.addLast(request.decoderResult().isSuccess()
          && request.protocolVersion().equals(HttpVersion.HTTP_1_0));
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof HttpResponse response && response.status().codeClass()
        != io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
      Boolean old = http10.pollFirst();
      if (Boolean.TRUE.equals(old) && !(msg instanceof Responses.BeforeHandlers)) {
        // (Go's server's own 400s stay 1.1)
        response.setProtocolVersion(HttpVersion.HTTP_1_0);
        if (!(msg instanceof FullHttpResponse)) {
          // a watch's answer: 1.0 has no chunks, so, as Go's server, the body runs to the close
          // (without a length or chunks the keep-alive handler closes after its end)
          HttpUtil.setTransferEncodingChunked(response, false);
        } else if (!response.headers().containsValue(
            HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
          // a 1.0 answer without "keep-alive" would make the keep-alive handler close; it takes
          // the header off again when the request did not ask to keep the connection
          HttpUtil.setKeepAlive(response, true);
        }
      }
    }
    ctx.write(msg, promise);
  }
}
