package io.v2store.storage.log;

import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import java.nio.file.Path;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The check run on open: the whole log, from the first index to the end, must be contiguous,
 * every value must match its checksum, terms must never decrease, and the committed index must
 * be inside the log. Anything else means lost or damaged data, and the member must not start.
 */
final class LogScan {
  private LogScan() {}

  /** Verifies the log and fills cache with its tail; returns the last index. */
  static long verify(
      LogDb store, Path dataDir, LogMeta.Boundary boundary, HardState hardState, RecentEntries cache)
      throws RocksDBException {
    long expected = boundary.firstIndex();
    long prevTerm = boundary.prevTerm();
    try (RocksIterator it = store.db.newIterator(store.entries)) {
      for (it.seek(IndexKey.of(expected)); it.isValid(); it.next()) {
        final long index = IndexKey.decode(it.key());
        if (index != expected) {
          throw new LogCorruptedException(
              dataDir, expected, "entry missing (the next stored key is " + index + ")");
        }
        final Entry entry = EntryCodec.decode(dataDir, index, it.value());
        if (entry.getTerm() < prevTerm) {
          throw new LogCorruptedException(
              dataDir,
              index,
              "term " + entry.getTerm() + " is lower than term " + prevTerm + " before it");
        }
        cache.append(List.of(entry));
        prevTerm = entry.getTerm();
        expected++;
      }
      it.status();
    }
    final long lastIndex = expected - 1;
    if (hardState.getCommit() > lastIndex) {
      throw new LogCorruptedException(
          dataDir,
          lastIndex + 1,
          "the log is truncated: commit index "
              + hardState.getCommit()
              + " is beyond the last entry "
              + lastIndex);
    }
    return lastIndex;
  }

  /** True when entries below firstIndex remain (a compaction interrupted before it finished). */
  static boolean hasEntriesBelow(LogDb store, long firstIndex) {
    try (RocksIterator it = store.db.newIterator(store.entries)) {
      it.seekToFirst();
      return it.isValid() && IndexKey.decode(it.key()) < firstIndex;
    }
  }
}
