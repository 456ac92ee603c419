package io.v2store.storage.log;

import io.v2store.raft.pb.Entry;
import java.util.List;

/**
 * The newest entries of the log, in memory, so the hot path (term checks on append, replication
 * of what was just written) rarely reads RocksDB. Invariant: when non-empty, the cached run is
 * contiguous and ends at the log's last index. Bounded by count and by bytes. Not thread-safe.
 */
final class RecentEntries {
  private final Entry[] ring;
  private final long maxBytes;
  private int head;
  private int count;
  private long oldestIndex;
  private long bytes;

  RecentEntries(int maxEntries, long maxBytes) {
    if (maxEntries < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("cache bounds must be positive");
    }
    this.ring = new Entry[maxEntries];
    this.maxBytes = maxBytes;
  }

  /** The cached entry at index, or null if it is not cached. */
  Entry get(long index) {
    if (count == 0 || index < oldestIndex || index >= oldestIndex + count) {
      return null;
    }
    return ring[slot((int) (index - oldestIndex))];
  }

  /** Records entries just written to the log's tail (they replace any cached suffix). */
  void append(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    final long start = entries.get(0).getIndex();
    truncateFrom(start);
    if (count > 0 && oldestIndex + count != start) {
      clear();
    }
    for (Entry entry : entries) {
      push(entry);
    }
  }

  /** Forgets entries at index and above. */
  void truncateFrom(long index) {
    if (count == 0) {
      return;
    }
    if (index <= oldestIndex) {
      clear();
      return;
    }
    while (count > 0 && oldestIndex + count - 1 >= index) {
      final int last = slot(count - 1);
      bytes -= ring[last].getSerializedSize();
      ring[last] = null;
      count--;
    }
  }

  /** Forgets entries below index (they were compacted). */
  void dropBefore(long index) {
    while (count > 0 && oldestIndex < index) {
      dropOldest();
    }
  }

  void clear() {
    while (count > 0) {
      dropOldest();
    }
    head = 0;
    bytes = 0;
  }

  private void push(Entry entry) {
    if (count == ring.length) {
      dropOldest();
    }
    if (count == 0) {
      head = 0;
      oldestIndex = entry.getIndex();
    }
    ring[slot(count)] = entry;
    count++;
    bytes += entry.getSerializedSize();
    while (bytes > maxBytes && count > 1) {
      dropOldest();
    }
  }

  private void dropOldest() {
    bytes -= ring[head].getSerializedSize();
    ring[head] = null;
    head = (head + 1) % ring.length;
    oldestIndex++;
    count--;
  }

  private int slot(int offset) {
    return (head + offset) % ring.length;
  }
}
