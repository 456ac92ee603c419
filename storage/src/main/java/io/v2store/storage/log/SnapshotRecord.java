package io.v2store.storage.log;

import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.raft.pb.SnapshotMetadata;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * What the {@code snapshot} column family holds about the latest snapshot: its Raft metadata and
 * the length and CRC32C of the data file beside the database, so a damaged file is caught.
 */
record SnapshotRecord(SnapshotMetadata metadata, long dataBytes, int dataCrc) {

  long index() {
    return metadata.getIndex();
  }

  /**
   * One file name per (term, index, data checksum), so writing a new snapshot, even one that
   * replaces the data at the same index, never overwrites the file the current record names.
   */
  String fileName() {
    return String.format(
        "snapshot-%016x-%016x-%08x.snap", metadata.getTerm(), metadata.getIndex(), dataCrc);
  }

  byte[] encode() {
    final byte[] meta = metadata.toByteArray();
    return Checksummed.wrap(
        ByteBuffer.allocate(Long.BYTES + Integer.BYTES + meta.length)
            .putLong(dataBytes)
            .putInt(dataCrc)
            .put(meta)
            .array());
  }

  static SnapshotRecord decode(Path dataDir, byte[] value) {
    final byte[] payload = Checksummed.unwrapOrNull(value);
    if (payload == null || payload.length < Long.BYTES + Integer.BYTES) {
      throw new LogCorruptedException(dataDir, "snapshot record checksum mismatch");
    }
    final ByteBuffer buffer = ByteBuffer.wrap(payload);
    final long dataBytes = buffer.getLong();
    final int dataCrc = buffer.getInt();
    final byte[] meta = new byte[buffer.remaining()];
    buffer.get(meta);
    try {
      return new SnapshotRecord(SnapshotMetadata.parseFrom(meta), dataBytes, dataCrc);
    } catch (InvalidProtocolBufferException e) {
      throw new LogCorruptedException(dataDir, "snapshot record does not parse: " + e);
    }
  }
}
