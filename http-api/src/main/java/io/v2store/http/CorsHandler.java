package io.v2store.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.List;

/**
 * Adds etcd's CORS headers (spec 1.6) to every response a handler makes (not to what Go's server
 * answers by itself: {@link Responses.BeforeHandlers}, {@link Responses.WithoutCors}, a
 * "100 Continue"): always with the default "*", otherwise
 * only when the request's Origin is listed, echoing it. One instance per connection.
 */
final class CorsHandler extends ChannelDuplexHandler {
  private final List<String> origins;
  private final boolean any;
  private String lastOrigin;

  CorsHandler(List<String> origins) {
    this.origins = origins;
    this.any = origins.contains("*");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      lastOrigin = request.headers().get(HttpHeaderNames.ORIGIN);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response && !(msg instanceof Responses.BeforeHandlers)
        && !(msg instanceof Responses.WithoutCors)
        && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      String allowOrigin = any ? "*" : (lastOrigin != null && origins.contains(lastOrigin)
          ? lastOrigin : null);
      if (allowOrigin != null) {
        HttpHeaders h = response.headers();
        h.set("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE");
        h.set("Access-Control-Allow-Origin", allowOrigin);
        h.set("Access-Control-Allow-Headers", "accept, content-type, authorization");
      }
    }
    ctx.write(msg, promise);
  }
}
