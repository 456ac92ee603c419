package io.v2store.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayDeque;

/**
 * Counts answered requests as etcd_http_requests_total{method,code}. Responses leave in request
 * order (HTTP/1.1), so a FIFO of methods pairs them. One instance per connection; both callbacks
 * run on the channel's event loop.
 */
final class RequestMetricsHandler extends ChannelDuplexHandler {
  static final String REQUESTS = "etcd.http.requests";
  private final RequestCounters counters;
  private final ArrayDeque<String> methods = new ArrayDeque<>(2);

  RequestMetricsHandler(RequestCounters counters) {
    this.counters = counters;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && methods.size() < 1024) {
      methods.addLast(request.method().name());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response && response.status().code() >= 200) {
      String method = methods.isEmpty() ? "unknown" : methods.removeFirst();
      counters.increment(method, response.status().code());
    }
    ctx.write(msg, promise);
  }
}
