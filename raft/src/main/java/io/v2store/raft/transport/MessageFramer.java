package io.v2store.raft.transport;

import com.google.protobuf.ByteString;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.transport.pb.Frame;
import io.v2store.raft.transport.pb.SnapshotChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Raft message into frames: one frame, or for a MSG_SNAP with large data a run of chunk
 * frames. The frames of one message are emitted by one write, so they reach the wire back to
 * back, and the write's future completes only when all of them are written. A MSG_SNAP whose data
 * is a file ({@code data_file}, never sent as such) becomes chunk frames read from the file.
 */
final class MessageFramer extends MessageToMessageEncoder<Message> {
  /** Writes a snapshot file's chunks only as fast as the connection sends them. */
  static final String CHUNKED_WRITER = "chunkedWriter";

  private final int chunkBytes;

  MessageFramer(int chunkBytes) {
    super(Message.class);
    this.chunkBytes = chunkBytes;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message message, List<Object> out)
      throws IOException {
    if (message.getType() == MessageType.MSG_SNAP && message.getSnapshot().hasDataFile()) {
      // Read from the file as the connection takes it: it can be larger than anything in
      // memory. A file gone already fails this write.
      out.add(new SnapshotFileChunks(message, chunkBytes));
      if (ctx.pipeline().get(CHUNKED_WRITER) == null) {
        // Before this handler, so that what it emits from now on goes through it, in order.
        // Added at the first such snapshot only: every other write skips it.
        ctx.pipeline().addBefore(ctx.name(), CHUNKED_WRITER, new ChunkedWriteHandler());
      }
      return;
    }
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
