package io.v2store.storage.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A message checksummed as it is serialized is stored exactly as before: old logs still read. */
class ChecksummedTest {
  @Test
  void aMessageIsWrappedAsItsSerializedBytesWere() {
    final Random random = new Random(7);
    for (int size : new int[] {0, 1, 127, 128, 300, 70_000, 1 << 20}) {
      final byte[] data = new byte[size];
      random.nextBytes(data);
      final Entry entry = Entry.newBuilder().setIndex(1L << 40).setTerm(3)
          .setData(ByteString.copyFrom(data)).build();
      assertArrayEquals(Checksummed.wrap(entry.toByteArray()), Checksummed.wrap(entry));
      assertArrayEquals(entry.toByteArray(), Checksummed.unwrapOrNull(Checksummed.wrap(entry)));
    }
    final HardState empty = HardState.getDefaultInstance();
    assertArrayEquals(Checksummed.wrap(empty.toByteArray()), Checksummed.wrap(empty));
  }
}
