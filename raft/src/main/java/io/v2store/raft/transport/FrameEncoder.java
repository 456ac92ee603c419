package io.v2store.raft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.v2store.raft.transport.pb.Frame;
import java.io.IOException;

/** Writes a frame as a 4-byte big-endian length followed by the serialized {@link Frame}. */
final class FrameEncoder extends MessageToByteEncoder<Frame> {
  static final int LENGTH_BYTES = Integer.BYTES;

  FrameEncoder() {
    super(Frame.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) throws IOException {
    out.ensureWritable(LENGTH_BYTES + frame.getSerializedSize());
    out.writeInt(frame.getSerializedSize());
    try (ByteBufOutputStream stream = new ByteBufOutputStream(out)) {
      frame.writeTo(stream);
    }
  }
}
