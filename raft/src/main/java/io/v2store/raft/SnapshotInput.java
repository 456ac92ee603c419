package io.v2store.raft;

import io.v2store.raft.pb.SnapshotMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A snapshot whose data is read as a stream: what a restart restores from. A {@link
 * io.v2store.raft.pb.Snapshot} holds its data in one ByteString, which cannot be over 2 GiB, and
 * a key space can grow past that; a stream has no such limit and is never held whole in memory.
 *
 * @param sizeBytes the data's length
 * @param data the data, owned by this (closed with it)
 */
public record SnapshotInput(SnapshotMetadata metadata, long sizeBytes, InputStream data)
    implements AutoCloseable {

  @Override
  public void close() {
    try {
      data.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
