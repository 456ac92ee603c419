package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.SnapshotInput;
import io.v2store.raft.pb.ConfState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files read back as streams, whatever their size. */
class RocksDbLogLargeSnapshotTest {
  private static final ConfState ONE_VOTER = ConfState.newBuilder().addVoters(1).build();
  /**
   * Just over what one mapping, a ByteString or a Snapshot can hold: nothing smaller shows that
   * the file is never held as one. A sparse file, so it takes almost no disk, and reads fast.
   */
  private static final long OVER_2_GIB = (1L << 31) + 65_536 + 3;

  @TempDir Path dir;

  @Test
  void aMemberRestartsFromASnapshotFileOver2GiB() throws IOException {
    byte[] head = bytes(1, 1_000);
    byte[] tail = bytes(2, 1_000);
    Path staging = dir.resolve("large.snap"); // not staging-*: an open removes those
    try (FileChannel file = FileChannel.open(staging,
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
      file.write(ByteBuffer.wrap(head), 0);
      file.write(ByteBuffer.wrap(tail), OVER_2_GIB - tail.length);
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 10, 1), true);
      log.createSnapshot(8, ONE_VOTER,
          new SnapshotFiles.Staged(staging, OVER_2_GIB, crcOf(staging), false));
    }
    try (RocksDbLog log = RocksDbLog.open(dir); SnapshotInput snapshot = log.openSnapshot()) {
      assertEquals(8, snapshot.metadata().getIndex());
      assertEquals(ONE_VOTER, snapshot.metadata().getConfState());
      assertEquals(OVER_2_GIB, snapshot.sizeBytes());
      assertArrayEquals(head, snapshot.data().readNBytes(head.length));
      byte[] last = new byte[tail.length];
      long read = head.length;
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = snapshot.data().read(buffer)) > 0; read += n) {
        // keeps the last tail.length bytes read, across reads
        int keep = Math.min(n, last.length);
        System.arraycopy(last, keep, last, 0, last.length - keep);
        System.arraycopy(buffer, n - keep, last, last.length - keep, keep);
      }
      assertEquals(OVER_2_GIB, read);
      assertArrayEquals(tail, last);
      assertEquals(8, log.latestSnapshotMetadata().orElseThrow().getIndex());
    }
  }

  @Test
  void theStreamReadsASmallSnapshotAsRecordedAndChecksItsEnd() throws IOException {
    byte[] data = bytes(3, 300_001);
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 10, 1), true);
      log.createSnapshot(6, ONE_VOTER, data);
      try (SnapshotInput snapshot = log.openSnapshot()) {
        assertEquals(data.length, snapshot.sizeBytes());
        assertArrayEquals(data, snapshot.data().readAllBytes());
        assertEquals(-1, snapshot.data().read());
      }
      // Damaged after the open's check: the stream's own check catches it at the end.
      Path file;
      try (var files = Files.list(dir)) {
        file = files.filter(p -> p.getFileName().toString().startsWith("snapshot-"))
            .findFirst().orElseThrow();
      }
      byte[] damaged = data.clone();
      damaged[damaged.length - 7] ^= 1;
      Files.write(file, damaged);
      try (SnapshotInput snapshot = log.openSnapshot()) {
        InputStream in = snapshot.data();
        IOException e = assertThrows(IOException.class, in::readAllBytes);
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
      }
    }
  }

  private static byte[] bytes(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static int crcOf(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer.clear()) > 0) {
        crc.update(buffer.flip());
      }
    }
    return (int) crc.getValue();
  }
}
