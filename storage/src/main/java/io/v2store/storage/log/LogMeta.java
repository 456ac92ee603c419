package io.v2store.storage.log;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Keys and value codecs of the {@code meta} and {@code snapshot} column families. */
final class LogMeta {
  static final byte[] HARD_STATE = key("hard-state");
  static final byte[] CONF_STATE = key("conf-state");
  /** The first index and the term of the entry just before it (the compacted boundary). */
  static final byte[] FIRST_INDEX = key("first-index");
  static final byte[] LATEST_SNAPSHOT = key("latest");

  private LogMeta() {}

  /** Where the log starts: entries below firstIndex are gone; prevTerm is term(firstIndex - 1). */
  record Boundary(long firstIndex, long prevTerm) {
    static final Boundary EMPTY = new Boundary(1, 0);

    long compactedIndex() {
      return firstIndex - 1;
    }

    byte[] encode() {
      return Checksummed.wrap(
          ByteBuffer.allocate(2 * Long.BYTES).putLong(firstIndex).putLong(prevTerm).array());
    }

    static Boundary decode(Path dataDir, byte[] value) {
      final byte[] payload = Checksummed.unwrapOrNull(value);
      if (payload == null || payload.length != 2 * Long.BYTES) {
        throw new LogCorruptedException(dataDir, "first-index record checksum mismatch");
      }
      final ByteBuffer buffer = ByteBuffer.wrap(payload);
      return new Boundary(buffer.getLong(), buffer.getLong());
    }
  }

  static byte[] encode(Message message) {
    return Checksummed.wrap(message);
  }

  static <T> T decode(Path dataDir, String what, Parser<T> parser, byte[] value) {
    final byte[] payload = Checksummed.unwrapOrNull(value);
    if (payload == null) {
      throw new LogCorruptedException(dataDir, what + " record checksum mismatch");
    }
    try {
      return parser.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new LogCorruptedException(dataDir, what + " record does not parse: " + e);
    }
  }

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.US_ASCII);
  }
}
