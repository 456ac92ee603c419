package io.v2store.raft.core;

import io.v2store.raft.LogCompactedException;
import io.v2store.raft.LogStorage;
import io.v2store.raft.LogUnavailableException;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's view of the log: the read-only durable storage followed by the unstable tail, plus the
 * commit and applied indexes. Mirrors etcd's {@code log.go}.
 */
final class RaftLog {
  final LogStorage storage;
  final Unstable unstable;
  long committed;
  long applied;

  RaftLog(LogStorage storage) {
    this.storage = storage;
    this.unstable = new Unstable(storage.lastIndex() + 1);
    long first = storage.firstIndex();
    this.committed = first - 1;
    this.applied = first - 1;
  }

  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i != Unstable.NONE ? i : storage.firstIndex();
  }

  long lastIndex() {
    long i = unstable.maybeLastIndex();
    return i != Unstable.NONE ? i : storage.lastIndex();
  }

  long lastTerm() {
    return termOrZero(lastIndex());
  }

  IndexTerm last() {
    return new IndexTerm(lastIndex(), lastTerm());
  }

  /** The term of entry i; throws the storage's typed outcomes outside [firstIndex()-1, lastIndex()]. */
  long term(long i) {
    long dummy = firstIndex() - 1;
    if (i < dummy) throw new LogCompactedException("index " + i + " < " + dummy);
    if (i > lastIndex()) throw new LogUnavailableException("index " + i + " > " + lastIndex());
    long t = unstable.maybeTerm(i);
    if (t != Unstable.NONE) return t;
    return storage.term(i);
  }

  long termOrZero(long i) {
    try {
      return term(i);
    } catch (LogCompactedException | LogUnavailableException e) {
      return 0;
    }
  }

  boolean matchTerm(long i, long t) {
    try {
      return term(i) == t;
    } catch (LogCompactedException | LogUnavailableException e) {
      return false;
    }
  }

  boolean isUpToDate(long lastIndex, long term) {
    long ourTerm = lastTerm();
    return term > ourTerm || (term == ourTerm && lastIndex >= lastIndex());
  }

  /**
   * Appends the leader's entries after (index, logTerm) if our log matches there. Returns the index
   * of the last new entry, or -1 when the log does not match.
   */
  long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> ents) {
    if (!matchTerm(index, logTerm)) return -1;
    long lastNew = index + ents.size();
    long conflict = findConflict(ents);
    if (conflict != 0) {
      if (conflict <= committed) {
        throw new IllegalStateException("entry " + conflict + " conflicts with committed " + committed);
      }
      append(ents.subList((int) (conflict - (index + 1)), ents.size()));
    }
    commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** The index of the first entry that is new or whose term differs from ours; 0 if none. */
  long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.getIndex(), e.getTerm())) return e.getIndex();
    }
    return 0;
  }

  /**
   * The largest index <= index whose term is <= term (the fast back-off of etcd): every entry after
   * it is known not to match a log whose entry at index has that term.
   */
  IndexTerm findConflictByTerm(long index, long term) {
    for (; index > 0; index--) {
      long ours;
      try {
        ours = term(index);
      } catch (LogCompactedException | LogUnavailableException e) {
        return new IndexTerm(index, 0);
      }
      if (ours <= term) return new IndexTerm(index, ours);
    }
    return new IndexTerm(0, 0);
  }

  long append(List<Entry> ents) {
    if (ents.isEmpty()) return lastIndex();
    long after = ents.get(0).getIndex() - 1;
    if (after < committed) {
      throw new IllegalStateException("append after " + after + " is below committed " + committed);
    }
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  void commitTo(long toCommit) {
    if (toCommit <= committed) return;
    if (toCommit > lastIndex()) {
      throw new IllegalStateException("commit " + toCommit + " beyond last index " + lastIndex());
    }
    committed = toCommit;
  }

  /** Raft's rule 5.4.2: only an entry of the current term is committed by counting replicas. */
  boolean maybeCommit(long maxIndex, long term) {
    if (maxIndex > committed && termOrZero(maxIndex) == term) {
      commitTo(maxIndex);
      return true;
    }
    return false;
  }

  void appliedTo(long i) {
    if (i == 0) return;
    if (i > committed || i < applied) {
      throw new IllegalArgumentException(
          "applied " + i + " out of range [" + applied + "," + committed + "]");
    }
    applied = i;
  }

  boolean hasNextCommittedEntries() {
    return unstable.snapshot() == null && committed > applied;
  }

  List<Entry> nextCommittedEntries(long maxBytes) {
    if (!hasNextCommittedEntries()) return List.of();
    return slice(applied + 1, committed + 1, maxBytes);
  }

  /** Entries [lo, hi), at least one, then as many as fit in maxBytes. */
  List<Entry> slice(long lo, long hi, long maxBytes) {
    if (lo < firstIndex()) throw new LogCompactedException("slice from " + lo);
    if (hi > lastIndex() + 1) throw new LogUnavailableException("slice to " + hi);
    if (lo >= hi) return List.of();
    long offset = unstable.offset();
    List<Entry> out = new ArrayList<>();
    if (lo < offset) {
      long storedHi = Math.min(hi, offset);
      List<Entry> stored = storage.entries(lo, storedHi, maxBytes);
      if (stored.size() < storedHi - lo) return stored; // the byte limit cut it short
      out.addAll(stored);
    }
    if (hi > offset) out.addAll(unstable.slice(Math.max(lo, offset), hi));
    return limitSize(out, maxBytes);
  }

  static List<Entry> limitSize(List<Entry> ents, long maxBytes) {
    long size = 0;
    for (int i = 0; i < ents.size(); i++) {
      size += ents.get(i).getSerializedSize();
      if (i > 0 && size > maxBytes) return ents.subList(0, i);
    }
    return ents;
  }

  static long payloadBytes(List<Entry> ents) {
    long size = 0;
    for (Entry e : ents) size += e.getData().size();
    return size;
  }

  /** Whether a configuration change sits in (lo, hi]: etcd refuses to campaign while one does. */
  boolean hasConfChangeIn(long lo, long hi, long pageBytes) {
    long next = lo + 1;
    while (next <= hi) {
      List<Entry> page = slice(next, hi + 1, pageBytes);
      for (Entry e : page) {
        if (e.getType() == EntryType.ENTRY_CONF_CHANGE) return true;
      }
      next += page.size();
    }
    return false;
  }

  Snapshot snapshot() {
    Snapshot s = unstable.snapshot();
    return s != null ? s : storage.snapshot();
  }

  void restore(Snapshot s) {
    committed = s.getMetadata().getIndex();
    unstable.restore(s);
  }

  void stableTo(long i, long t) {
    unstable.stableTo(i, t);
  }

  void stableSnapTo(long i) {
    unstable.stableSnapTo(i);
  }
}
