package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Any mix of single-byte and array reads returns the stream's bytes in order, then the end. */
class UnsyncBufferedInputProperties {

  /** A source that hands out at most a few bytes per call, as a socket or a mapping may. */
  private static InputStream trickling(byte[] data, int chunk) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  @Property(tries = 500)
  void readsEveryByteInOrderThenTheEnd(
      @ForAll @IntRange(min = 0, max = 400) int length,
      @ForAll @IntRange(min = 1, max = 64) int bufferSize,
      @ForAll @IntRange(min = 1, max = 50) int chunk,
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = -1, max = 120) Integer> reads)
      throws IOException {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (UnsyncBufferedInput in = new UnsyncBufferedInput(trickling(data, chunk), bufferSize)) {
      int r = 0;
      while (true) {
        int size = reads.get(r++ % reads.size());
        if (size == 0) { // an empty read reads nothing, at the end too
          assertEquals(0, in.read(new byte[1], 0, 0));
          size = -1; // and then a byte, so every step moves on
        }
        if (size < 0) { // a single byte
          int b = in.read();
          if (b < 0) {
            break;
          }
          got.write(b);
        } else { // into the middle of a larger array
          byte[] b = new byte[size + 4];
          int n = in.read(b, 2, size);
          if (n < 0) {
            break;
          }
          got.write(b, 2, n);
        }
      }
      assertEquals(-1, in.read());
    }
    assertArrayEquals(data, got.toByteArray());
  }
}
