package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever mix of single bytes and arrays goes in comes out, in order, once flushed. */
class UnsyncBufferedOutputProperties {

  @Property(tries = 500)
  void passesEveryByteThroughInOrder(
      @ForAll @IntRange(min = 1, max = 64) int bufferSize,
      @ForAll @Size(max = 60) List<@IntRange(min = -1, max = 150) Integer> writes)
      throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    ByteArrayOutputStream below = new ByteArrayOutputStream();
    UnsyncBufferedOutput out = new UnsyncBufferedOutput(below, bufferSize);
    int next = 0;
    for (int w : writes) {
      if (w < 0) { // a single byte
        out.write(next);
        expected.write(next);
        next++;
      } else { // an array of w bytes, written from an offset inside a larger array
        byte[] b = new byte[w + 3];
        for (int i = 0; i < b.length; i++) {
          b[i] = (byte) next++;
        }
        out.write(b, 2, w);
        expected.write(b, 2, w);
      }
    }
    out.flush();
    assertArrayEquals(expected.toByteArray(), below.toByteArray());
  }
}
