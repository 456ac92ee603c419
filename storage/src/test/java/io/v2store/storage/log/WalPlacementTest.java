package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's --wal-dir: RocksDB's WAL in a directory of its own, and never looked for elsewhere. */
class WalPlacementTest {
  @TempDir Path dir;

  private static long walFiles(Path in) throws IOException {
    try (Stream<Path> files = Files.list(in)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".log")).count();
    }
  }

  @Test
  void theWalGoesWhereItIsToldAndALogIsOpenedOnlyWithItThere() throws IOException {
    final Path data = dir.resolve("data");
    final Optional<Path> wal = Optional.of(dir.resolve("wal"));
    try (RocksDbLog log = RocksDbLog.open(data, wal)) {
      log.save(null, run(1, 20, 1), true);
    }
    assertTrue(walFiles(dir.resolve("wal")) > 0, "RocksDB's WAL is in --wal-dir");
    assertEquals(0, walFiles(data.resolve(RocksDbLog.DB_DIR)));
    try (RocksDbLog log = RocksDbLog.open(data, Optional.of(dir.resolve("x/../wal")))) {
      assertEquals(20, log.lastIndex(), "the same directory, however it is spelled");
    }

    final WalPlacementException none = assertThrows(WalPlacementException.class,
        () -> RocksDbLog.open(data));
    assertTrue(none.getMessage().contains("start with the same --wal-dir as before"),
        none.getMessage());
    assertThrows(WalPlacementException.class,
        () -> RocksDbLog.open(data, Optional.of(dir.resolve("other"))));
    assertFalse(Files.exists(dir.resolve("other")), "a refused start creates nothing");
  }

  /**
   * A first start whose --wal-dir cannot be used (not writable, or a file) creates no log: the
   * next start, with a --wal-dir that works, must not be refused for the place the failed one
   * named ("start with the same --wal-dir as before", which cannot work).
   */
  @Test
  void aLogThatCouldNotBeCreatedRecordsNoPlaceForItsWal() throws IOException {
    final Path data = dir.resolve("data");
    final Path notADir = Files.writeString(dir.resolve("wal-file"), "a file");
    assertThrows(LogStorageException.class, () -> RocksDbLog.open(data, Optional.of(notADir)));
    try (RocksDbLog log = RocksDbLog.open(data, Optional.of(dir.resolve("wal")))) {
      log.save(null, run(1, 5, 1), true);
    }
    assertTrue(walFiles(dir.resolve("wal")) > 0, "RocksDB's WAL is in the --wal-dir that worked");
    try (RocksDbLog log = RocksDbLog.open(data, Optional.of(dir.resolve("wal")))) {
      assertEquals(5, log.lastIndex());
    }
  }

  @Test
  void aLogWithItsWalInsideIsNotOpenedWithAWalDir() {
    final Path data = dir.resolve("data");
    try (RocksDbLog log = RocksDbLog.open(data)) {
      log.save(null, run(1, 5, 1), true);
    }
    assertThrows(WalPlacementException.class,
        () -> RocksDbLog.open(data, Optional.of(dir.resolve("wal"))));
    try (RocksDbLog log = RocksDbLog.open(data)) {
      assertEquals(5, log.lastIndex());
    }
  }

  @Test
  void aLogFromBeforeThePlaceWasRecordedHasItsWalInside() throws IOException {
    final Path data = dir.resolve("data");
    try (RocksDbLog log = RocksDbLog.open(data)) {
      log.save(null, run(1, 5, 1), true);
    }
    Files.delete(data.resolve(WalPlacement.FILE));
    assertThrows(WalPlacementException.class,
        () -> RocksDbLog.open(data, Optional.of(dir.resolve("wal"))));
    try (RocksDbLog log = RocksDbLog.open(data)) {
      assertEquals(5, log.lastIndex());
    }
  }

  /**
   * Builds from before the WAL's place was recorded accepted --wal-dir and ignored it: their WAL
   * is in db/ whatever the flag said. Upgraded with the flags it ran with, such a member is
   * refused (rightly: RocksDB would not find the WAL), but it was told to start with the same
   * --wal-dir as before, which is what it did; it must be told to start without one.
   */
  @Test
  void aLogFromBeforeThePlaceWasRecordedIsToldToStartWithoutAWalDir() throws IOException {
    final Path data = dir.resolve("data");
    try (RocksDbLog log = RocksDbLog.open(data)) {
      log.save(null, run(1, 5, 1), true);
    }
    Files.delete(data.resolve(WalPlacement.FILE));
    final WalPlacementException refused = assertThrows(WalPlacementException.class,
        () -> RocksDbLog.open(data, Optional.of(dir.resolve("wal"))));
    assertFalse(refused.getMessage().contains("start with the same --wal-dir as before"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("start without --wal-dir"), refused.getMessage());
    assertFalse(Files.exists(data.resolve(WalPlacement.FILE)), "nothing recorded");
  }

  @Test
  void aCheckpointOfALogWithAWalDirHoldsItsWalItself() {
    final Path copy = dir.resolve("copy");
    try (RocksDbLog log = RocksDbLog.open(dir.resolve("data"), Optional.of(dir.resolve("wal")))) {
      log.save(null, run(1, 30, 1), true);
      log.checkpoint(copy);
    }
    try (RocksDbLog restored = RocksDbLog.open(copy)) {
      assertEquals(30, restored.lastIndex());
    }
  }
}
