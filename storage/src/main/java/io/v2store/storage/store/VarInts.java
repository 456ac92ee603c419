package io.v2store.storage.store;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** LEB128 varints and length-prefixed UTF-8 strings for the snapshot stream. */
final class VarInts {
  private VarInts() {}

  /** Writes a non-negative long in 1-9 bytes (indexes and counts are small). */
  static void writeVarLong(DataOutput out, long v) throws IOException {
    if (v < 0) {
      throw new IllegalArgumentException("negative varint " + v);
    }
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  static long readVarLong(DataInput in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) {
          throw new IOException("corrupt snapshot: negative varint");
        }
        return v;
      }
    }
    throw new IOException("corrupt snapshot: varint too long");
  }

  static int readVarInt(DataInput in) throws IOException {
    long v = readVarLong(in);
    if (v > Integer.MAX_VALUE) {
      throw new IOException("corrupt snapshot: count too large " + v);
    }
    return (int) v;
  }

  static void writeString(DataOutput out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarLong(out, b.length);
    out.write(b);
  }

  static String readString(DataInput in) throws IOException {
    byte[] b = new byte[readVarInt(in)];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
