package io.v2store.storage.log;

import io.v2store.raft.pb.Entry;
import java.util.ArrayList;
import java.util.List;

/** The log as a plain list: the obviously-right model the RocksDB log is compared with. */
final class NaiveLog {
  private final List<Entry> entries = new ArrayList<>();
  private long compactedIndex;
  private long compactedTerm;
  private long snapshotIndex;

  long firstIndex() {
    return compactedIndex + 1;
  }

  long lastIndex() {
    return compactedIndex + entries.size();
  }

  long snapshotIndex() {
    return snapshotIndex;
  }

  long term(long i) {
    return i == compactedIndex ? compactedTerm : entries.get((int) (i - compactedIndex - 1)).getTerm();
  }

  void append(List<Entry> batch) {
    for (Entry e : batch) {
      if (e.getIndex() <= compactedIndex) {
        continue;
      }
      final int position = (int) (e.getIndex() - compactedIndex - 1);
      while (entries.size() > position) {
        entries.remove(entries.size() - 1);
      }
      entries.add(e);
    }
  }

  void snapshotAt(long index) {
    snapshotIndex = index;
  }

  void compact(long index) {
    final long term = term(index);
    entries.subList(0, (int) (index - compactedIndex)).clear();
    compactedIndex = index;
    compactedTerm = term;
  }

  void installSnapshot(long index, long term) {
    final boolean matches = index <= lastIndex() && term(index) == term;
    if (matches) {
      compact(index);
    } else {
      entries.clear();
      compactedIndex = index;
      compactedTerm = term;
    }
    snapshotIndex = index;
  }

  /** Entries [lo, hi) limited as LogStorage says: at least one, then while within maxBytes. */
  List<Entry> entries(long lo, long hi, long maxBytes) {
    final List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = lo; i < hi; i++) {
      final Entry e = entries.get((int) (i - compactedIndex - 1));
      bytes += e.getSerializedSize();
      if (!out.isEmpty() && bytes > maxBytes) {
        break;
      }
      out.add(e);
    }
    return out;
  }
}
