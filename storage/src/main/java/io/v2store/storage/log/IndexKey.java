package io.v2store.storage.log;

import java.nio.ByteBuffer;

/**
 * Entry keys: the index as 8 big-endian bytes, so RocksDB's bytewise order is the log order and a
 * prefix of the log is one contiguous key range (deleteRange, bounded iterators).
 */
final class IndexKey {
  static final int BYTES = Long.BYTES;

  private IndexKey() {}

  static byte[] of(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("negative log index " + index);
    }
    return ByteBuffer.allocate(BYTES).putLong(index).array();
  }

  static long decode(byte[] key) {
    if (key.length != BYTES) {
      return -1;
    }
    return ByteBuffer.wrap(key).getLong();
  }
}
