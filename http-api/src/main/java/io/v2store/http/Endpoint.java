package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;

/** One endpoint of the routing table; called on the channel's event loop, must not block. */
interface Endpoint {
  void handle(ChannelHandlerContext ctx, RoutedRequest request);
}
