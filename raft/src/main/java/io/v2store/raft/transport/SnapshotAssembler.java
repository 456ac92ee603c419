package io.v2store.raft.transport;

import com.google.protobuf.ByteString;
import io.v2store.raft.SnapshotSink;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.transport.pb.SnapshotChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a chunked MSG_SNAP back together on the receiving connection. Chunks of one message arrive
 * in order on one connection (other messages' frames may come between them), so anything else is
 * a protocol error. With a {@link SnapshotSink} the data goes to a file as it arrives and the
 * message delivered names that file; without one (tests, a log that keeps no files) it is put
 * together in memory, which holds at most 2 GiB.
 */
final class SnapshotAssembler {
  /** The most one ByteString (one byte array) holds. */
  static final long MAX_IN_MEMORY_BYTES = Integer.MAX_VALUE - 8;

  private final long maxSnapshotBytes;
  private final SnapshotSink sink;
  private Message header;
  private long totalBytes;
  private long receivedBytes;
  private final List<ByteString> parts = new ArrayList<>();
  private SnapshotSink.Receiving receiving;

  SnapshotAssembler(long maxSnapshotBytes) {
    this(maxSnapshotBytes, null);
  }

  /** @param sink where the data goes, or null to put it together in memory */
  SnapshotAssembler(long maxSnapshotBytes, SnapshotSink sink) {
    this.maxSnapshotBytes =
        sink == null ? Math.min(maxSnapshotBytes, MAX_IN_MEMORY_BYTES) : maxSnapshotBytes;
    this.sink = sink;
  }

  /**
   * Takes the next chunk; returns the whole message once its last chunk arrived, else null.
   *
   * @throws IllegalStateException on a chunk out of order or a snapshot over the size bound
   * @throws UncheckedIOException if the sink fails (the part written is removed)
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
      if (sink != null) {
        try {
          receiving = sink.open(chunk.getTotalBytes());
        } catch (IOException e) {
          throw cannotReceive(e);
        }
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
    if (receiving != null) {
      try {
        receiving.write(chunk.getData());
      } catch (IOException e) {
        abort();
        throw cannotReceive(e);
      }
    } else {
      parts.add(chunk.getData());
    }
    receivedBytes += chunk.getData().size();
    if (receivedBytes < totalBytes) {
      return null;
    }
    // A peer never names a file of ours: only what arrived here is installed.
    final Snapshot.Builder snapshot = Snapshot.newBuilder(header.getSnapshot()).clearDataFile();
    if (receiving != null) {
      try {
        snapshot.setDataFile(receiving.finish());
      } catch (IOException e) {
        abort();
        throw cannotReceive(e);
      }
    } else {
      snapshot.setData(ByteString.copyFrom(parts));
    }
    final Message whole = header.toBuilder().setSnapshot(snapshot).build();
    reset();
    return whole;
  }

  /**
   * Says why: the connection's close logs this exception's toString, which shows no cause, and
   * the reason (no room on the disk, say) is what the operator needs.
   */
  private static UncheckedIOException cannotReceive(IOException e) {
    return new UncheckedIOException("cannot receive a snapshot: " + e.getMessage(), e);
  }

  /** Drops a snapshot partly received (the connection closed): its file is removed. */
  void abort() {
    if (receiving != null) {
      receiving.abort();
    }
    reset();
  }

  private void reset() {
    header = null;
    parts.clear();
    receivedBytes = 0;
    totalBytes = 0;
    receiving = null;
  }
}
