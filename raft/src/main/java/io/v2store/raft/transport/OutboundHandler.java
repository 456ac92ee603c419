package io.v2store.raft.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.v2store.raft.transport.pb.Frame;
import io.v2store.raft.transport.pb.Hello;

/**
 * The calling side of one peer connection: says Hello when connected and tells its
 * {@link PeerConnection} whether the peer accepted. The peer sends nothing else on this
 * connection; our messages to it flow the other way.
 */
final class OutboundHandler extends SimpleChannelInboundHandler<Frame> {
  private final PeerConnection connection;
  private final Hello hello;

  OutboundHandler(PeerConnection connection, Hello hello) {
    super(Frame.class);
    this.connection = connection;
    this.hello = hello;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Frame.newBuilder().setHello(hello).build());
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    switch (frame.getBodyCase()) {
      case ACCEPTED -> connection.onAccepted(ctx.channel(), frame.getAccepted().getMemberId());
      case REFUSED -> connection.onRefused(ctx.channel(), frame.getRefused());
      default -> connection.onProtocolError(ctx.channel(), "unexpected " + frame.getBodyCase());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.onProtocolError(ctx.channel(), PeerTlsRejections.isTls(cause)
        ? "TLS handshake failed: " + PeerTlsRejections.describe(cause)
        : cause.toString());
  }
}
