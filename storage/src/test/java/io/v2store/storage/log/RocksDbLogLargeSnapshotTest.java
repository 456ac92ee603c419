package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.SnapshotInput;
import io.v2store.raft.SnapshotSink;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotFile;
import io.v2store.raft.pb.SnapshotMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
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
      // What a lagging follower is sent: the file, for the transport to stream.
      Snapshot toSend = log.snapshot();
      assertEquals(8, toSend.getMetadata().getIndex());
      assertEquals(ByteString.EMPTY, toSend.getData());
      assertEquals(OVER_2_GIB, toSend.getDataFile().getSizeBytes());
      assertEquals(OVER_2_GIB, Files.size(Path.of(toSend.getDataFile().getPath())));
    }
  }

  @Test
  void aLeadersSnapshotReceivedIntoAFileIsInstalledByMovingIt() throws IOException {
    byte[] data = bytes(4, 2_500_000);
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 10, 1), true);
      SnapshotSink.Receiving receiving = log.snapshotSink().open(data.length);
      for (int at = 0; at < data.length; at += 1 << 20) {
        receiving.write(ByteString.copyFrom(data, at, Math.min(1 << 20, data.length - at)));
      }
      SnapshotFile file = receiving.finish();
      assertEquals(data.length, file.getSizeBytes());
      assertEquals(1, files("staging-").size());
      log.applySnapshot(Snapshot.newBuilder()
          .setMetadata(SnapshotMetadata.newBuilder().setIndex(20).setTerm(2)
              .setConfState(ONE_VOTER))
          .setDataFile(file).build());
      assertEquals(List.of(), files("staging-"));
      assertEquals(1, files("snapshot-").size());
      assertEquals(20, log.lastIndex());
      assertArrayEquals(data, log.snapshot().getData().toByteArray());
      try (SnapshotInput snapshot = log.openSnapshot()) {
        assertArrayEquals(data, snapshot.data().readAllBytes());
      }
    }
    try (RocksDbLog log = RocksDbLog.open(dir); SnapshotInput snapshot = log.openSnapshot()) {
      assertEquals(20, snapshot.metadata().getIndex());
      assertArrayEquals(data, snapshot.data().readAllBytes());
    }
  }

  @Test
  void onlyAReceivedFileIsInstalledAndAHalfReceivedOneGoesAtTheNextOpen() throws IOException {
    Path elsewhere = dir.resolve("not-received.snap");
    Files.write(elsewhere, new byte[] {1, 2, 3});
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertThrows(IllegalArgumentException.class, () -> log.applySnapshot(Snapshot.newBuilder()
          .setMetadata(SnapshotMetadata.newBuilder().setIndex(5).setTerm(1))
          .setDataFile(SnapshotFile.newBuilder().setPath(elsewhere.toString()).setSizeBytes(3))
          .build()));
      assertTrue(Files.exists(elsewhere));
      log.snapshotSink().open(100).write(ByteString.copyFrom(new byte[50])); // then a crash
      assertEquals(1, files("staging-").size());
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertEquals(List.of(), files("staging-"));
    }
  }

  /** Refused before it fills the disk the log writes on, and no file is left. */
  @Test
  void aSnapshotTheDiskHasNoRoomForIsRefusedAtItsStart() throws IOException {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      long tooMuch = Files.getFileStore(dir).getUsableSpace() + (1L << 30);
      IOException e = assertThrows(IOException.class, () -> log.snapshotSink().open(tooMuch));
      assertTrue(e.getMessage().contains("no room"), e.getMessage());
      assertEquals(List.of(), files("staging-"));
    }
  }

  private List<Path> files(String prefix) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
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

  /**
   * A leader sends its latest snapshot to every follower that needs it, again at each heartbeat
   * to one that keeps refusing it (no room on its disk): each send mapped the file anew and
   * checksummed it whole on the raft thread, a mapping left to the garbage collector. With a
   * snapshot of 400 MB, a refusing follower cost the leader a third of a core and its mappings
   * grew by 3 GB a second. The file never changes: it is mapped and checked once.
   */
  @Test
  void sendingTheSameSnapshotAgainMapsAndChecksItOnce() throws IOException {
    byte[] data = bytes(4, 100_000);
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 10, 1), true);
      log.createSnapshot(6, ONE_VOTER, data);
      String name;
      try (var files = Files.list(dir)) {
        name = files.map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("snapshot-")).findFirst().orElseThrow();
      }
      java.util.List<io.v2store.raft.pb.Snapshot> sent = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(log.snapshot()); // held, as messages in flight are: none is unmapped meanwhile
      }
      long mappings;
      try (var maps = Files.lines(Path.of("/proc/self/maps"))) {
        mappings = maps.filter(line -> line.endsWith(name)).count();
      }
      assertEquals(1, mappings, "mappings of " + name);
      for (io.v2store.raft.pb.Snapshot s : sent) {
        assertArrayEquals(data, s.getData().toByteArray());
      }

      log.save(null, run(11, 20, 1), true);
      byte[] newer = bytes(5, 50_000);
      log.createSnapshot(15, ONE_VOTER, newer);
      assertEquals(15, log.snapshot().getMetadata().getIndex());
      assertArrayEquals(newer, log.snapshot().getData().toByteArray());
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
