package io.v2store.raft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.List;

/**
 * The first handler of an accepted peer connection: a connection that opens with an HTTP method
 * is an HTTP client (see {@link PeerHttp}), anything else speaks the peer protocol. Unambiguous:
 * a frame opens with its 4-byte length, and "GET " or "HEAD" read as one is over a gigabyte,
 * far past the largest frame accepted.
 */
final class PeerPortSniffer extends ByteToMessageDecoder {
  private static final int GET = 0x47455420; // "GET "
  private static final int HEAD = 0x48454144; // "HEAD"
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final PeerHttp http;
  private final List<String> peerProtocolHandlers;

  PeerPortSniffer(PeerHttp http, List<String> peerProtocolHandlers) {
    this.http = http;
    this.peerProtocolHandlers = peerProtocolHandlers;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < Integer.BYTES) return;
    int first = in.getInt(in.readerIndex());
    if (first == GET || first == HEAD) {
      ChannelPipeline pipeline = ctx.pipeline();
      for (String name : peerProtocolHandlers) pipeline.remove(name);
      pipeline.addLast("httpCodec", new HttpServerCodec());
      pipeline.addLast("httpAggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
      pipeline.addLast("http", new PeerHttpHandler(http));
    }
    // What was read so far goes on to the handlers now in place.
    ctx.pipeline().remove(this);
  }
}
