package io.v2store.raft.transport;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * On the peer port's listening socket: when a connection cannot be accepted (the process has run
 * out of file descriptors, say), says so in one line and stops accepting for a second, as the
 * client port does and as Go's server, etcd's, does ("Accept error: ...; retrying in ..."). Left
 * to Netty, every retry logged that an exception "reached the tail of the pipeline".
 */
@Sharable
final class PeerAcceptErrors extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(PeerTransport.class.getName());
  static final long PAUSE_MILLIS = 1_000;

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ChannelConfig config = ctx.channel().config();
    if (!config.isAutoRead()) return; // already pausing: said once
    config.setAutoRead(false);
    ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_MILLIS,
        TimeUnit.MILLISECONDS);
    LOG.log(Level.WARNING, "accept error on peer port " + ctx.channel().localAddress() + ": "
        + cause.getMessage() + "; retrying in " + PAUSE_MILLIS + " ms");
  }
}
