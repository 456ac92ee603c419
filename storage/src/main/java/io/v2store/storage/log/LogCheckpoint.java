package io.v2store.storage.log;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.rocksdb.Checkpoint;
import org.rocksdb.RocksDBException;

/**
 * A copy of a running log, consistent as of one moment, laid out as a stopped member leaves it:
 * {@code db/} and the snapshot data file that db's record names. RocksDB's own checkpoint makes
 * db/ (it flushes, hard-links the immutable table files and copies the live WAL), and it runs
 * without the log's lock, so the raft thread is never held up by a backup. The snapshot data file
 * is the one part RocksDB does not know of: it is hard-linked under the log's lock before and
 * after the checkpoint, and the log links each snapshot recorded in between as it records it,
 * before it deletes the file that one replaces (the next open keeps the one the record names).
 * Only when such a link could not be made and two were recorded in between may the one the
 * checkpoint names be missing, and the copy is taken again.
 */
final class LogCheckpoint {
  /** Two snapshots in one checkpoint whose files could not be linked are already rare. */
  private static final int ATTEMPTS = 5;

  private LogCheckpoint() {}

  /** What the log's lock guards: the latest snapshot's file and how many were recorded. */
  interface SnapshotFileState {
    /** Under the log's lock: links the latest snapshot file into target; the count recorded. */
    long linkLatestInto(Path target) throws IOException;

    /** The attempt on target is over (linked into twice, or failed). */
    default void done(Path target) {}
  }

  static void take(LogDb store, SnapshotFileState snapshots, Path target) {
    LogStorageException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        if (takeOnce(store, snapshots, target)) {
          return;
        }
        last = new LogStorageException(target, "checkpoint",
            new IOException("snapshots kept being replaced while the copy was taken"));
      } catch (IOException | RocksDBException e) {
        throw new LogStorageException(target, "checkpoint", e);
      }
      deleteTree(target);
    }
    throw last;
  }

  private static boolean takeOnce(LogDb store, SnapshotFileState snapshots, Path target)
      throws IOException, RocksDBException {
    Files.createDirectories(target);
    try {
      final long before = snapshots.linkLatestInto(target);
      try (Checkpoint checkpoint = Checkpoint.create(store.db)) {
        checkpoint.createCheckpoint(target.resolve(RocksDbLog.DB_DIR).toString());
      }
      final long after = snapshots.linkLatestInto(target);
      return after - before <= 1;
    } finally {
      snapshots.done(target);
    }
  }

  /** Hard-links file into dir (a copy where the file system has no links); once only. */
  static void link(Path file, Path dir) throws IOException {
    final Path to = dir.resolve(file.getFileName());
    if (Files.exists(to)) {
      return;
    }
    try {
      Files.createLink(to, file);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // the caller's directory; its owner removes what is left
    }
  }
}
