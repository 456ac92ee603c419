package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.SnapshotOutOfDateException;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots streamed to a staging file by the apply thread, then recorded by the raft thread. */
class RocksDbLogStagedSnapshotTest {
  private static final ConfState ONE_VOTER = ConfState.newBuilder().addVoters(1).build();

  @TempDir Path dir;

  /** Several MiB in writes of odd sizes and single bytes, so buffer edges are crossed. */
  private static byte[] data(long seed) {
    byte[] data = new byte[5 * (1 << 20) + 12_345];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static StagedSnapshot.Writer inPieces(byte[] data) {
    return out -> {
      int at = 0;
      int piece = 1;
      while (at < data.length) {
        int n = Math.min(piece, data.length - at);
        if (n == 1) {
          out.write(data[at]);
        } else {
          out.write(data, at, n);
        }
        at += n;
        piece = piece * 7 % 100_003 + 1;
      }
    };
  }

  private List<Path> files(String prefix) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  @Test
  void aStreamedSnapshotReadsBackWholeBeforeAndAfterARestart() throws IOException {
    byte[] data = data(1);
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 10, 1), true);
      StagedSnapshot staged = log.stageSnapshot(inPieces(data));
      assertEquals(data.length, staged.sizeBytes());
      log.createSnapshot(8, ONE_VOTER, staged);
      assertArrayEquals(data, log.snapshot().getData().toByteArray());
      assertEquals(8, log.snapshot().getMetadata().getIndex());
    }
    assertEquals(List.of(), files("staging-"));
    assertEquals(1, files("snapshot-").size());
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertArrayEquals(data, log.snapshot().getData().toByteArray());
      assertEquals(ONE_VOTER, log.initialState().confState());
    }
  }

  @Test
  void stagedDataIsSyncedApartOrElseWhenRecorded() throws IOException {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 10, 1), true);
      // The apply thread only writes; a thread of the driver's syncs before the raft thread
      // records. One synced apart, one left for the record to sync: both end durable.
      SnapshotFiles.Staged apart = (SnapshotFiles.Staged) log.stageSnapshot(inPieces(data(4)));
      assertFalse(apart.synced());
      apart.sync();
      assertTrue(apart.synced());
      log.createSnapshot(5, ONE_VOTER, apart);
      SnapshotFiles.Staged unsynced = (SnapshotFiles.Staged) log.stageSnapshot(inPieces(data(5)));
      assertFalse(unsynced.synced());
      log.createSnapshot(9, ONE_VOTER, unsynced);
      assertTrue(unsynced.synced(), "recorded without an fsync of its data");
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertArrayEquals(data(5), log.snapshot().getData().toByteArray());
    }
  }

  @Test
  void aNewerSnapshotReplacesTheOldWhileTheOldIsStillMapped() throws IOException {
    byte[] first = data(2);
    byte[] second = data(3);
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 10, 1), true);
      log.createSnapshot(4, ONE_VOTER, log.stageSnapshot(inPieces(first)));
      var old = log.snapshot().getData(); // a follower being sent the old one
      log.createSnapshot(9, ONE_VOTER, log.stageSnapshot(inPieces(second)));
      assertArrayEquals(first, old.toByteArray());
      assertArrayEquals(second, log.snapshot().getData().toByteArray());
      assertEquals(1, files("snapshot-").size());
    }
  }

  @Test
  void anOutOfDateStagedSnapshotIsRefusedAndItsFileRemoved() throws IOException {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 10, 1), true);
      log.createSnapshot(6, ONE_VOTER, new byte[] {1});
      StagedSnapshot late = log.stageSnapshot(out -> out.write(2));
      assertThrows(SnapshotOutOfDateException.class,
          () -> log.createSnapshot(5, ONE_VOTER, late));
      assertEquals(List.of(), files("staging-"));
      assertArrayEquals(new byte[] {1}, log.snapshot().getData().toByteArray());
    }
  }

  @Test
  void aWriterThatFailsLeavesNoFile() throws IOException {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertThrows(IOException.class, () -> log.stageSnapshot(out -> {
        out.write(new byte[100_000]);
        throw new IOException("disk full");
      }));
      assertEquals(List.of(), files("staging-"));
    }
  }

  @Test
  void stagingLeftOverByACrashIsRemovedOnOpen() throws IOException {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 3, 1), true);
      log.createSnapshot(2, ONE_VOTER, new byte[] {7});
      log.stageSnapshot(OutputStream::flush); // never recorded: the member died here
      assertEquals(1, files("staging-").size());
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertEquals(List.of(), files("staging-"));
      assertArrayEquals(new byte[] {7}, log.snapshot().getData().toByteArray());
    }
  }

  @Test
  void aDamagedStreamedSnapshotRefusesTheStart() throws IOException {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 3, 1), true);
      log.createSnapshot(3, ONE_VOTER, log.stageSnapshot(inPieces(data(4))));
    }
    Path file = files("snapshot-").get(0);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    LogCorruptedException refused =
        assertThrows(LogCorruptedException.class, () -> RocksDbLog.open(dir));
    assertTrue(refused.getMessage().contains("damaged"), refused.getMessage());
  }
}
