package io.v2store.raft.core;

import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of the log not yet handed back as durable by {@code advance}: entries from {@code offset}
 * on, and possibly a snapshot received from the leader. Mirrors etcd's {@code log_unstable.go}.
 */
final class Unstable {
  static final long NONE = -1;

  private Snapshot snapshot;
  private final ArrayList<Entry> entries = new ArrayList<>();
  private long offset;

  Unstable(long offset) {
    this.offset = offset;
  }

  long offset() {
    return offset;
  }

  Snapshot snapshot() {
    return snapshot;
  }

  List<Entry> entriesCopy() {
    return List.copyOf(entries);
  }

  /** The first index if a snapshot is pending (the storage knows otherwise), else NONE. */
  long maybeFirstIndex() {
    return snapshot == null ? NONE : snapshot.getMetadata().getIndex() + 1;
  }

  long maybeLastIndex() {
    if (!entries.isEmpty()) return offset + entries.size() - 1;
    return snapshot == null ? NONE : snapshot.getMetadata().getIndex();
  }

  long maybeTerm(long i) {
    if (i < offset) {
      if (snapshot != null && snapshot.getMetadata().getIndex() == i) {
        return snapshot.getMetadata().getTerm();
      }
      return NONE;
    }
    long last = maybeLastIndex();
    if (last == NONE || i > last) return NONE;
    return entries.get((int) (i - offset)).getTerm();
  }

  /** Entries up to (i, t) are durable now; a term mismatch means they were replaced meanwhile. */
  void stableTo(long i, long t) {
    long gt = maybeTerm(i);
    if (gt == NONE || gt != t || i < offset) return;
    entries.subList(0, (int) (i + 1 - offset)).clear();
    offset = i + 1;
  }

  void stableSnapTo(long i) {
    if (snapshot != null && snapshot.getMetadata().getIndex() == i) snapshot = null;
  }

  void restore(Snapshot s) {
    offset = s.getMetadata().getIndex() + 1;
    entries.clear();
    snapshot = s;
  }

  void truncateAndAppend(List<Entry> ents) {
    long after = ents.get(0).getIndex();
    if (after == offset + entries.size()) {
      entries.addAll(ents);
    } else if (after <= offset) {
      // Replaces entries below offset too: the driver's save() truncates the durable suffix.
      offset = after;
      entries.clear();
      entries.addAll(ents);
    } else {
      entries.subList((int) (after - offset), entries.size()).clear();
      entries.addAll(ents);
    }
  }

  /** Entries [lo, hi), which must lie within [offset, last+1]. */
  List<Entry> slice(long lo, long hi) {
    if (lo < offset || hi > offset + entries.size() || lo > hi) {
      throw new IllegalStateException(
          "unstable slice [" + lo + "," + hi + ") out of [" + offset + "," + (offset + entries.size()) + ")");
    }
    return new ArrayList<>(entries.subList((int) (lo - offset), (int) (hi - offset)));
  }
}
