package io.v2store.raft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.v2store.raft.transport.pb.Frame;

/** Splits the byte stream at the length prefixes and parses each {@link Frame}; bounds its size. */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
  /**
   * The most an accepted connection's first frame, its caller's hello (a few dozen bytes), may
   * be: the bound on later frames (512 MiB) let any caller that reached the peer port have this
   * member hold that much for it before it said who it was.
   */
  static final int MAX_HELLO_BYTES = 64 * 1024;

  private int maxFirstFrameBytes;

  FrameDecoder(int maxFrameBytes) {
    this(maxFrameBytes, maxFrameBytes);
  }

  /** As above, the first frame at most maxFirstFrameBytes. */
  FrameDecoder(int maxFrameBytes, int maxFirstFrameBytes) {
    super(
        maxFrameBytes + FrameEncoder.LENGTH_BYTES,
        0,
        FrameEncoder.LENGTH_BYTES,
        0,
        FrameEncoder.LENGTH_BYTES);
    this.maxFirstFrameBytes = maxFirstFrameBytes;
  }

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    if (maxFirstFrameBytes >= 0 && in.readableBytes() >= FrameEncoder.LENGTH_BYTES) {
      final long length = in.getUnsignedInt(in.readerIndex());
      if (length > maxFirstFrameBytes) {
        in.skipBytes(in.readableBytes());
        throw new TooLongFrameException("a first frame of " + length + " bytes, over "
            + maxFirstFrameBytes);
      }
    }
    final ByteBuf bytes = (ByteBuf) super.decode(ctx, in);
    if (bytes == null) {
      return null;
    }
    maxFirstFrameBytes = -1;
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
