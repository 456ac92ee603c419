package io.v2store.raft.transport;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.stream.ChunkedInput;
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
 * frames. The chunk frames of one message reach the wire in order, other messages' frames in
 * between them ({@link SnapshotPacer}), and the write's future completes only when all of them
 * are written. A MSG_SNAP whose data is a file ({@code data_file}, never sent as such) becomes
 * chunk frames read from the file.
 */
final class MessageFramer extends MessageToMessageEncoder<Message> {
  /** Writes a snapshot's chunks only as fast as the connection sends them, others first. */
  static final String SNAPSHOT_PACER = "snapshotPacer";

  private final int chunkBytes;
  private final long chunkTimeoutMillis;

  MessageFramer(int chunkBytes) {
    this(chunkBytes, TransportConfig.SNAPSHOT_CHUNK_TIMEOUT_MILLIS);
  }

  MessageFramer(int chunkBytes, long chunkTimeoutMillis) {
    super(Message.class);
    this.chunkBytes = chunkBytes;
    this.chunkTimeoutMillis = chunkTimeoutMillis;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message message, List<Object> out)
      throws IOException {
    final boolean fromFile =
        message.getType() == MessageType.MSG_SNAP && message.getSnapshot().hasDataFile();
    final List<Frame> frames = fromFile ? null : frames(message, chunkBytes);
    if (!fromFile && frames.size() == 1) {
      out.add(frames.get(0));
      return;
    }
    // A snapshot goes as the connection takes it, a chunk at a time: from its file (it can be
    // larger than anything in memory; a file gone already fails this write), or from memory,
    // where encoding every chunk at once put the whole snapshot in direct buffers at each send
    // (a follower that hangs up at the first chunk, out of disk room, is sent it again at the
    // next heartbeat).
    out.add(fromFile ? new SnapshotFileChunks(message, chunkBytes) : new Frames(frames));
    if (ctx.pipeline().get(SNAPSHOT_PACER) == null) {
      // Before this handler, so that what it emits from now on goes through it.
      // Added at the first snapshot sent in chunks only: every other write skips it till then.
      ctx.pipeline().addBefore(ctx.name(), SNAPSHOT_PACER, new SnapshotPacer(chunkTimeoutMillis));
    }
  }

  /** The chunk frames of a snapshot in memory (slices of its data), one at a time. */
  private static final class Frames implements ChunkedInput<Frame> {
    private final List<Frame> frames;
    private int next;

    Frames(List<Frame> frames) {
      this.frames = frames;
    }

    @Override
    public boolean isEndOfInput() {
      return next >= frames.size();
    }

    @Override
    public void close() {}

    @Deprecated
    @Override
    public Frame readChunk(ChannelHandlerContext ctx) {
      return readChunk(ctx.alloc());
    }

    @Override
    public Frame readChunk(ByteBufAllocator allocator) {
      return isEndOfInput() ? null : frames.get(next++);
    }

    @Override
    public long length() {
      return frames.size();
    }

    @Override
    public long progress() {
      return next;
    }
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
