package io.v2store.raft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.v2store.raft.transport.pb.Frame;

/** Splits the byte stream at the length prefixes and parses each {@link Frame}; bounds its size. */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {

  FrameDecoder(int maxFrameBytes) {
    super(
        maxFrameBytes + FrameEncoder.LENGTH_BYTES,
        0,
        FrameEncoder.LENGTH_BYTES,
        0,
        FrameEncoder.LENGTH_BYTES);
  }

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    final ByteBuf bytes = (ByteBuf) super.decode(ctx, in);
    if (bytes == null) {
      return null;
    }
    try (ByteBufInputStream stream = new ByteBufInputStream(bytes)) {
      return Frame.parseFrom(stream);
    } finally {
      bytes.release();
    }
  }
}
