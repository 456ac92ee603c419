package io.v2store.raft.transport;

import com.google.protobuf.ByteString;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.transport.pb.Frame;
import io.v2store.raft.transport.pb.SnapshotChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Raft message into frames: one frame, or for a MSG_SNAP with large data a run of chunk
 * frames. The frames of one message are emitted by one write, so they reach the wire back to
 * back, and the write's future completes only when all of them are written.
 */
final class MessageFramer extends MessageToMessageEncoder<Message> {
  private final int chunkBytes;

  MessageFramer(int chunkBytes) {
    super(Message.class);
    this.chunkBytes = chunkBytes;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message message, List<Object> out) {
    out.addAll(frames(message, chunkBytes));
  }

  static List<Frame> frames(Message message, int chunkBytes) {
    final ByteString data = message.getSnapshot().getData();
    if (message.getType() != MessageType.MSG_SNAP || data.size() <= chunkBytes) {
      return List.of(Frame.newBuilder().setMessage(message).build());
    }
    final Message header =
        message.toBuilder()
            .setSnapshot(Snapshot.newBuilder(message.getSnapshot()).setData(ByteString.EMPTY))
            .build();
    final List<Frame> frames = new ArrayList<>(data.size() / chunkBytes + 1);
    for (int offset = 0; offset < data.size(); offset += chunkBytes) {
      final SnapshotChunk.Builder chunk =
          SnapshotChunk.newBuilder()
              .setOffset(offset)
              .setTotalBytes(data.size())
              .setData(data.substring(offset, Math.min(data.size(), offset + chunkBytes)));
      if (offset == 0) {
        chunk.setHeader(header);
      }
      frames.add(Frame.newBuilder().setSnapshotChunk(chunk).build());
    }
    return frames;
  }
}
