package io.v2store.raft;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.SnapshotFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a snapshot received from the leader is written as it arrives: a file in the data dir, so
 * that a snapshot of any size (over the 2 GiB one Snapshot can hold) is never held in memory. The
 * core is handed a Snapshot whose {@code data_file} names the file; the log installs it by moving
 * it into place ({@link DurableLog#applySnapshot}). A file never installed (the transfer broke,
 * the core refused the snapshot, the member stopped) is removed by its receiver, or else when
 * the log next opens.
 */
public interface SnapshotSink {

  /**
   * A new file for sizeBytes of data.
   *
   * @throws IOException if it cannot be made, or the disk has no room for that much
   */
  Receiving open(long sizeBytes) throws IOException;

  /** One snapshot being received: its chunks in order, then finish or abort. Not thread-safe. */
  interface Receiving {
    void write(ByteString chunk) throws IOException;

    /** The whole data, written (not yet fsynced: installing it does that). */
    SnapshotFile finish() throws IOException;

    /** Removes what was written; nothing after finish (the file is the finisher's then). */
    void abort();
  }

  /** Removes a received file that will not be installed. */
  static void discard(SnapshotFile file) {
    try {
      Files.deleteIfExists(Path.of(file.getPath()));
    } catch (IOException | RuntimeException ignored) {
      // left for the next open of the log, which removes every such file
    }
  }
}
