package io.v2store.storage.log;

import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.raft.pb.Entry;
import java.nio.file.Path;

/** Entry values: the serialized entry behind its CRC32C, checked (with its index) on every read. */
final class EntryCodec {
  private EntryCodec() {}

  static byte[] encode(Entry entry) {
    return Checksummed.wrap(entry);
  }

  static Entry decode(Path dataDir, long expectedIndex, byte[] value) {
    final byte[] payload = Checksummed.unwrapOrNull(value);
    if (payload == null) {
      throw new LogCorruptedException(dataDir, expectedIndex, "entry checksum mismatch");
    }
    final Entry entry;
    try {
      entry = Entry.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new LogCorruptedException(dataDir, expectedIndex, "entry does not parse: " + e);
    }
    if (entry.getIndex() != expectedIndex) {
      throw new LogCorruptedException(
          dataDir, expectedIndex, "entry stored under this key claims index " + entry.getIndex());
    }
    return entry;
  }
}
