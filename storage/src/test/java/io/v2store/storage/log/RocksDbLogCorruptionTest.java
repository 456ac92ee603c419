package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.entry;
import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.HardState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/** A damaged log must stop the member from starting, and say where the damage is. */
class RocksDbLogCorruptionTest {
  @TempDir Path dir;

  @Test
  void flippedBitInAnEntryIsCaughtOnOpen() throws RocksDBException {
    writeTenEntries();
    try (LogDb db = LogDb.open(dir.resolve(RocksDbLog.DB_DIR))) {
      final byte[] value = db.db.get(db.entries, IndexKey.of(6));
      value[value.length - 1] ^= 0x01;
      db.db.put(db.entries, IndexKey.of(6), value);
    }
    final LogCorruptedException e = assertThrows(LogCorruptedException.class, this::open);
    assertEquals(6, e.badIndex());
    assertEquals(dir.toAbsolutePath(), e.dataDir());
    assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("index 6"), e.getMessage());
  }

  @Test
  void entryStoredUnderTheWrongKeyIsCaught() throws RocksDBException {
    writeTenEntries();
    try (LogDb db = LogDb.open(dir.resolve(RocksDbLog.DB_DIR))) {
      db.db.put(db.entries, IndexKey.of(4), EntryCodec.encode(entry(5, 1)));
    }
    assertEquals(4, assertThrows(LogCorruptedException.class, this::open).badIndex());
  }

  @Test
  void missingEntryInTheMiddleIsCaught() throws RocksDBException {
    writeTenEntries();
    try (LogDb db = LogDb.open(dir.resolve(RocksDbLog.DB_DIR))) {
      db.db.delete(db.entries, IndexKey.of(3));
    }
    assertEquals(3, assertThrows(LogCorruptedException.class, this::open).badIndex());
  }

  @Test
  void termGoingBackwardsIsCaught() throws RocksDBException {
    writeTenEntries();
    try (LogDb db = LogDb.open(dir.resolve(RocksDbLog.DB_DIR))) {
      db.db.put(db.entries, IndexKey.of(8), EntryCodec.encode(entry(8, 0)));
    }
    assertEquals(8, assertThrows(LogCorruptedException.class, this::open).badIndex());
  }

  @Test
  void truncatedTailBelowTheCommitIndexIsCaught() throws RocksDBException {
    writeTenEntries();
    try (LogDb db = LogDb.open(dir.resolve(RocksDbLog.DB_DIR))) {
      db.db.deleteRange(db.entries, IndexKey.of(9), IndexKey.of(11));
    }
    final LogCorruptedException e = assertThrows(LogCorruptedException.class, this::open);
    assertEquals(9, e.badIndex());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void damagedHardStateIsCaught() throws RocksDBException {
    writeTenEntries();
    try (LogDb db = LogDb.open(dir.resolve(RocksDbLog.DB_DIR))) {
      final byte[] value = db.db.get(db.meta, LogMeta.HARD_STATE);
      value[0] ^= 0x10;
      db.db.put(db.meta, LogMeta.HARD_STATE, value);
    }
    final LogCorruptedException e = assertThrows(LogCorruptedException.class, this::open);
    assertTrue(e.getMessage().contains("hard state"), e.getMessage());
  }

  @Test
  void damagedSnapshotFileIsCaughtOnOpen() throws IOException {
    try (RocksDbLog log = open()) {
      log.save(null, run(1, 4, 1), true);
      log.createSnapshot(3, ConfState.newBuilder().addVoters(1).build(), new byte[] {1, 2, 3, 4});
    }
    final Path file = onlySnapshotFile();
    final byte[] bytes = Files.readAllBytes(file);
    bytes[2] ^= 0x7f;
    Files.write(file, bytes);
    final LogCorruptedException e = assertThrows(LogCorruptedException.class, this::open);
    assertEquals(3, e.badIndex());
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
  }

  @Test
  void missingSnapshotFileIsCaughtOnOpen() throws IOException {
    try (RocksDbLog log = open()) {
      log.save(null, run(1, 4, 1), true);
      log.createSnapshot(3, ConfState.newBuilder().addVoters(1).build(), new byte[] {1, 2, 3});
    }
    Files.delete(onlySnapshotFile());
    assertTrue(
        assertThrows(LogCorruptedException.class, this::open).getMessage().contains("missing"));
  }

  private RocksDbLog open() {
    return RocksDbLog.open(dir);
  }

  private void writeTenEntries() {
    try (RocksDbLog log = open()) {
      log.save(HardState.newBuilder().setTerm(1).setCommit(10).build(), run(1, 10, 1), true);
    }
  }

  private Path onlySnapshotFile() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*.snap")) {
      final var it = files.iterator();
      final Path file = it.next();
      assertTrue(!it.hasNext(), "one snapshot file expected");
      return file;
    }
  }
}
