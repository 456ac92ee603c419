package io.v2store.storage.log;

import io.v2store.raft.pb.Entry;
import java.nio.file.Path;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Reads of entries that are not in the in-memory tail, each checked against its checksum. */
final class DiskEntries {
  private final LogDb store;
  private final Path dataDir;

  DiskEntries(LogDb store, Path dataDir) {
    this.store = store;
    this.dataDir = dataDir;
  }

  Entry read(long index) {
    try {
      final byte[] value = store.db.get(store.entries, IndexKey.of(index));
      if (value == null) {
        throw new LogCorruptedException(dataDir, index, "entry missing on read");
      }
      return EntryCodec.decode(dataDir, index, value);
    } catch (RocksDBException e) {
      throw new LogStorageException(dataDir, "read entry " + index, e);
    }
  }

  /** Appends entries [lo, hi) to out: the first always, then while the total fits in maxBytes. */
  void readRange(long lo, long hi, long maxBytes, List<Entry> out) {
    long bytes = 0;
    long expected = lo;
    try (RocksIterator it = store.db.newIterator(store.entries)) {
      for (it.seek(IndexKey.of(lo)); it.isValid() && expected < hi; it.next(), expected++) {
        final long index = IndexKey.decode(it.key());
        if (index != expected) {
          throw new LogCorruptedException(dataDir, expected, "entry missing on read");
        }
        final Entry entry = EntryCodec.decode(dataDir, index, it.value());
        bytes += entry.getSerializedSize();
        if (!out.isEmpty() && bytes > maxBytes) {
          return;
        }
        out.add(entry);
      }
      it.status();
    } catch (RocksDBException e) {
      throw new LogStorageException(dataDir, "read entries", e);
    }
    if (expected < hi) {
      throw new LogCorruptedException(dataDir, expected, "entry missing on read");
    }
  }
}
