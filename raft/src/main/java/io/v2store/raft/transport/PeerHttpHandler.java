package io.v2store.raft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Answers the GETs of {@link PeerHttp} as etcd's peer handler does: JSON, or a 404. */
final class PeerHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final PeerHttp http;

  PeerHttpHandler(PeerHttp http) {
    this.http = http;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    boolean head = request.method().equals(HttpMethod.HEAD);
    Optional<String> json = request.decoderResult().isSuccess()
        && (head || request.method().equals(HttpMethod.GET)) ? http.get(path) : Optional.empty();
    ByteBuf body = Unpooled.copiedBuffer(json.orElse("404 page not found\n"), StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        json.isPresent() ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
        head ? Unpooled.EMPTY_BUFFER : body);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE,
        json.isPresent() ? "application/json" : "text/plain; charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (head) body.release();
    if (http.clusterId() != 0) {
      response.headers().set("X-Etcd-Cluster-Id", Long.toHexString(http.clusterId()));
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // the next request, or the idle keep-alive connection, has the whole limit from now
    UntilPeerIdleClose idle = ctx.pipeline().get(UntilPeerIdleClose.class);
    if (idle != null) idle.restart();
    // A client that sends requests and reads none of the answers is read no further until it
    // has taken them, as Go's server answers one request at a time: they queued in memory, ten
    // times the size of the requests, until this event loop (the peers' too) stalled.
    if (!ctx.channel().isWritable()) ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) ctx.channel().config().setAutoRead(true);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
