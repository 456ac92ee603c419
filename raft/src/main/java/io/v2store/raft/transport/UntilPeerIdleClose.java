package io.v2store.raft.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an accepted peer-port connection that has not shown itself a peer in time: one that has
 * sent no hello we accept within the limit of its opening, or a plain HTTP client (see {@link
 * PeerPortSniffer}) that has not sent a whole request within the limit of its opening or of its
 * last answer. Such a connection would otherwise hold one of the port's connections (its budget
 * is small) for as long as the caller keeps it, even one that sends a byte now and then. etcd's
 * peer server reads each request under a 5-minute timeout from its start, which also ends an
 * idle keep-alive connection. Removed once the connection is a peer's ({@link InboundHandler}),
 * whose connections stay up between messages and are watched by TCP keep-alive instead.
 */
final class UntilPeerIdleClose extends ChannelInboundHandlerAdapter {
  static final String NAME = "untilPeerIdleClose";
  /** etcd's ReadTimeout on its peer server. */
  static final long DEFAULT_MILLIS = TimeUnit.MINUTES.toMillis(5);

  private final long millis;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> close;

  UntilPeerIdleClose(long millis) {
    this.millis = millis;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive() && ctx.channel().isRegistered()) restart();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (close == null) restart();
    ctx.fireChannelActive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  /** A whole request was answered: the next one must arrive within the limit from now. */
  void restart() {
    cancel();
    close = ctx.executor().schedule(() -> ctx.close(), millis, TimeUnit.MILLISECONDS);
  }

  private void cancel() {
    if (close != null) close.cancel(false);
  }
}
