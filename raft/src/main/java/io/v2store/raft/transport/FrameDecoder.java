package io.v2store.raft.transport;

import io.netty.buffer.ByteBuf;
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
    // Parsed from the frame's bytes in place: parsing from a stream gave every frame a 4 KiB
    // buffer of its own, a third of what the leader allocated under 256-connection writes (an
    // allocation profile), most frames being acknowledgements of a few dozen bytes. The parsed
    // message copies what it keeps, so the frame can be released at once.
    try {
      return Frame.parseFrom(bytes.nioBuffer());
    } finally {
      bytes.release();
    }
  }
}
