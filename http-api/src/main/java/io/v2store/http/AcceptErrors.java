package io.v2store.http;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * On a listening socket: when a connection cannot be accepted (the process has run out of file
 * descriptors, say), says so in one line and stops accepting for a second, as Netty's own acceptor
 * would, where Netty alone logs a warning that an exception "reached the tail of the pipeline".
 * Go's HTTP server, etcd's, logs "Accept error: ...; retrying in ..." and retries likewise.
 */
@Sharable
public final class AcceptErrors extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger("etcd");
  static final long PAUSE_MILLIS = 1_000;

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ChannelConfig config = ctx.channel().config();
    if (!config.isAutoRead()) return; // already pausing: said once
    config.setAutoRead(false);
    ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_MILLIS,
        TimeUnit.MILLISECONDS);
    LOG.log(System.Logger.Level.WARNING, "accept error on " + ctx.channel().localAddress() + ": "
        + cause.getMessage() + "; retrying in " + PAUSE_MILLIS + " ms");
  }
}
