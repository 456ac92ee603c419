package io.v2store.raft.transport;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * On a listening socket (the client and metrics ports, the peer port, the proxy's): when a
 * connection cannot be accepted (the process has run out of file descriptors, say), says so in
 * one line and stops accepting for a second, as Netty's own acceptor would, where Netty alone
 * logs a warning that an exception "reached the tail of the pipeline". Go's HTTP server, etcd's,
 * logs "Accept error: ...; retrying in ..." and retries likewise.
 */
@Sharable
public final class AcceptErrors extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger("etcd");
  public static final long PAUSE_MILLIS = 1_000;

  /** Put before the listener's address in the line ("peer port ", or "" for clients). */
  private final String where;

  /** On a client (or metrics) listener. */
  public AcceptErrors() {
    this("");
  }

  public AcceptErrors(String where) {
    this.where = where;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ChannelConfig config = ctx.channel().config();
    if (!config.isAutoRead()) return; // already pausing: said once
    config.setAutoRead(false);
    ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_MILLIS,
        TimeUnit.MILLISECONDS);
    LOG.log(System.Logger.Level.WARNING, "accept error on " + where + ctx.channel().localAddress()
        + ": " + cause.getMessage() + "; retrying in " + PAUSE_MILLIS + " ms");
  }
}
