package io.v2store.raft.transport;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.transport.pb.SnapshotChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a chunked MSG_SNAP back together on the receiving connection. Chunks of one message arrive
 * back to back and in order on one connection, so anything else is a protocol error.
 */
final class SnapshotAssembler {
  private final long maxSnapshotBytes;
  private Message header;
  private long totalBytes;
  private long receivedBytes;
  private final List<ByteString> parts = new ArrayList<>();

  SnapshotAssembler(long maxSnapshotBytes) {
    this.maxSnapshotBytes = maxSnapshotBytes;
  }

  /**
   * Takes the next chunk; returns the whole message once its last chunk arrived, else null.
   *
   * @throws IllegalStateException on a chunk out of order or a snapshot over the size bound
   */
  Message accept(SnapshotChunk chunk) {
    if (chunk.hasHeader()) {
      if (header != null) {
        throw new IllegalStateException("a new snapshot began before the previous one ended");
      }
      if (chunk.getTotalBytes() > maxSnapshotBytes) {
        throw new IllegalStateException(
            "snapshot of " + chunk.getTotalBytes() + " bytes exceeds " + maxSnapshotBytes);
      }
      header = chunk.getHeader();
      totalBytes = chunk.getTotalBytes();
    }
    if (header == null
        || chunk.getOffset() != receivedBytes
        || chunk.getTotalBytes() != totalBytes
        || receivedBytes + chunk.getData().size() > totalBytes) {
      throw new IllegalStateException(
          "snapshot chunk at offset " + chunk.getOffset() + " does not follow " + receivedBytes);
    }
    parts.add(chunk.getData());
    receivedBytes += chunk.getData().size();
    if (receivedBytes < totalBytes) {
      return null;
    }
    final Message whole =
        header.toBuilder()
            .setSnapshot(
                Snapshot.newBuilder(header.getSnapshot()).setData(ByteString.copyFrom(parts)))
            .build();
    header = null;
    parts.clear();
    receivedBytes = 0;
    totalBytes = 0;
    return whole;
  }
}
