package io.v2store.raft.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes an accepted peer-port connection that has read nothing for a while, as long as it has
 * not shown itself a peer: one that has not yet sent its first bytes, or a plain HTTP client
 * (see {@link PeerPortSniffer}), whose keep-alive connection would otherwise hold one of the
 * port's connections (its budget is small) for as long as the client keeps it. etcd's peer
 * server reads each request under a 5-minute timeout, which also ends an idle keep-alive
 * connection. Removed once the connection speaks the peer protocol, whose connections stay up
 * between messages and are watched by TCP keep-alive instead.
 */
final class UntilPeerIdleClose extends IdleStateHandler {
  static final String NAME = "untilPeerIdleClose";
  /** etcd's ReadTimeout on its peer server. */
  static final long DEFAULT_MILLIS = TimeUnit.MINUTES.toMillis(5);

  UntilPeerIdleClose(long millis) {
    super(millis, 0, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    ctx.close();
  }
}
