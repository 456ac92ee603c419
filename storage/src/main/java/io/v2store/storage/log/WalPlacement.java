package io.v2store.storage.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Where the log's RocksDB keeps its write-ahead log: inside {@code db/}, or in a directory of its
 * own (etcd's --wal-dir, typically on a disk of its own). RocksDB itself does not notice a member
 * restarted with the WAL somewhere else: it would open the flushed tables alone and silently
 * serve an older state, losing acknowledged writes. So the place is recorded beside db/ when
 * the log is created, and a start that names another place is refused.
 */
final class WalPlacement {
  static final String FILE = "wal-dir";

  private WalPlacement() {}

  /**
   * Checks walDir (absolute, normalized) against what dataDir records, recording it for a log
   * not yet created.
   *
   * @throws WalPlacementException when the log's WAL is elsewhere than walDir says
   */
  static void check(Path dataDir, Optional<Path> walDir) throws IOException {
    final Path file = dataDir.resolve(FILE);
    final String wanted = walDir.map(Path::toString).orElse("");
    final String recorded;
    if (Files.exists(file)) {
      recorded = Files.readString(file, StandardCharsets.UTF_8).trim();
    } else if (Files.exists(dataDir.resolve(RocksDbLog.DB_DIR).resolve("CURRENT"))) {
      // A log created before the place was recorded: its WAL is in db/. The builds that made
      // such logs took --wal-dir and ignored it, so the flag it ran with says nothing.
      if (!wanted.isEmpty()) {
        throw new WalPlacementException(dataDir, "the WAL is in "
            + dataDir.resolve(RocksDbLog.DB_DIR) + ", not in " + wanted + " (this log was made"
            + " by an earlier build, which kept its WAL there whatever --wal-dir said):"
            + " start without --wal-dir");
      }
      return;
    } else {
      record(dataDir, wanted);
      return;
    }
    if (!recorded.equals(wanted)) {
      throw new WalPlacementException(dataDir,
          "the WAL is in " + (recorded.isEmpty() ? dataDir.resolve(RocksDbLog.DB_DIR)
              + " (no --wal-dir)" : recorded + " (--wal-dir " + recorded + ")")
              + ", not in " + (wanted.isEmpty() ? "the data dir" : wanted)
              + ": start with the same --wal-dir as before");
    }
  }

  private static void record(Path dataDir, String walDir) throws IOException {
    Files.createDirectories(dataDir);
    final Path tmp = dataDir.resolve(FILE + ".tmp");
    Files.writeString(tmp, walDir + "\n", StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel channel = FileChannel.open(dataDir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
