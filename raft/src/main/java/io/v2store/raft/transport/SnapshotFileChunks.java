package io.v2store.raft.transport;

import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotFile;
import io.v2store.raft.transport.pb.Frame;
import io.v2store.raft.transport.pb.SnapshotChunk;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The chunk frames of a MSG_SNAP whose data is a file, read from the file one chunk at a time as
 * the connection takes them (SnapshotPacer): a snapshot of any size, never held whole in
 * memory nor queued whole on the connection. The file is opened at once, so a newer snapshot
 * replacing it meanwhile does not cut the transfer short.
 */
final class SnapshotFileChunks implements ChunkedInput<Frame> {
  private final Message header;
  private final FileChannel file;
  private final long totalBytes;
  private final int chunkBytes;
  private long offset;
  private boolean headerSent;

  SnapshotFileChunks(Message message, int chunkBytes) throws IOException {
    final SnapshotFile dataFile = message.getSnapshot().getDataFile();
    this.header = message.toBuilder()
        .setSnapshot(Snapshot.newBuilder(message.getSnapshot()).clearDataFile().clearData())
        .build();
    this.file = FileChannel.open(Path.of(dataFile.getPath()), StandardOpenOption.READ);
    this.totalBytes = dataFile.getSizeBytes();
    this.chunkBytes = chunkBytes;
    if (file.size() != totalBytes) {
      file.close();
      throw new IOException("snapshot file " + dataFile.getPath() + " is " + file.size()
          + " bytes, not " + totalBytes);
    }
  }

  @Override
  public boolean isEndOfInput() {
    return offset >= totalBytes && headerSent; // the header goes even with no data
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  @Deprecated
  @Override
  public Frame readChunk(ChannelHandlerContext ctx) throws IOException {
    return readChunk(ctx.alloc());
  }

  @Override
  public Frame readChunk(ByteBufAllocator allocator) throws IOException {
    if (isEndOfInput()) {
      return null;
    }
    final ByteBuffer data = ByteBuffer.allocate((int) Math.min(chunkBytes, totalBytes - offset));
    while (data.hasRemaining()) {
      if (file.read(data, offset + data.position()) < 0) {
        throw new EOFException("snapshot file ended at " + (offset + data.position()));
      }
    }
    final SnapshotChunk.Builder chunk = SnapshotChunk.newBuilder()
        .setOffset(offset)
        .setTotalBytes(totalBytes)
        .setData(UnsafeByteOperations.unsafeWrap(data.array()));
    if (!headerSent) {
      chunk.setHeader(header);
      headerSent = true;
    }
    offset += data.capacity();
    return Frame.newBuilder().setSnapshotChunk(chunk).build();
  }

  @Override
  public long length() {
    return totalBytes;
  }

  @Override
  public long progress() {
    return offset;
  }
}
