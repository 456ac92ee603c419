package io.v2store.storage.log;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Every value the log stores is {@code crc32c(payload) ++ payload}, so a flipped bit or a torn
 * value is caught when read instead of being served as data.
 */
final class Checksummed {
  private static final int CRC_BYTES = Integer.BYTES;

  private Checksummed() {}

  /**
   * message serialized straight behind room for its checksum: one array per value, where
   * {@code wrap(message.toByteArray())} makes two (every entry of the hot path is stored so).
   */
  static byte[] wrap(MessageLite message) {
    final int size = message.getSerializedSize();
    final byte[] value = new byte[CRC_BYTES + size];
    final CodedOutputStream out = CodedOutputStream.newInstance(value, CRC_BYTES, size);
    try {
      message.writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException("serializing to an array cannot fail", e);
    }
    out.checkNoSpaceLeft();
    ByteBuffer.wrap(value).putInt(crc32c(value, CRC_BYTES, size));
    return value;
  }

  static byte[] wrap(byte[] payload) {
    return ByteBuffer.allocate(CRC_BYTES + payload.length)
        .putInt(crc32c(payload, 0, payload.length))
        .put(payload)
        .array();
  }

  /** The payload, or null when the value is too short or its checksum does not match. */
  static byte[] unwrapOrNull(byte[] value) {
    if (value == null || value.length < CRC_BYTES) {
      return null;
    }
    final int stored = ByteBuffer.wrap(value).getInt();
    if (stored != crc32c(value, CRC_BYTES, value.length - CRC_BYTES)) {
      return null;
    }
    final byte[] payload = new byte[value.length - CRC_BYTES];
    System.arraycopy(value, CRC_BYTES, payload, 0, payload.length);
    return payload;
  }

  static int crc32c(byte[] bytes, int offset, int length) {
    final CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
