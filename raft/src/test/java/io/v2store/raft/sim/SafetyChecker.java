package io.v2store.raft.sim;

import io.v2store.raft.LogCompactedException;
import io.v2store.raft.LogUnavailableException;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.pb.Entry;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Raft safety properties (paper figure 3), checked incrementally as the simulation runs: each
 * check is fed by the event that could break it, so checking after every step stays cheap.
 */
final class SafetyChecker {
  private record Position(long index, long term) {}

  private record Content(int dataHash, long prevTerm) {}

  private record Applied(long stateHash, Entry entry, long termUpperBound) {}

  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  private final Map<Position, Content> entries = new HashMap<>();
  private final TreeMap<Long, Applied> applied = new TreeMap<>();
  private final Map<Long, Long> checkedLeaderTerms = new HashMap<>();

  /** Election safety: at most one leader per term. */
  void onLeader(long term, long id) {
    Long other = leaderOfTerm.putIfAbsent(term, id);
    if (other != null && other != id) {
      throw new AssertionError("election safety: " + other + " and " + id + " lead term " + term);
    }
  }

  /**
   * Log matching, fed by every persisted entry: two logs holding an entry of the same index and
   * term hold the same data there and the same term before it, so by induction the same prefix.
   */
  void onPersisted(MemoryLog disk, Entry e) {
    long prevTerm;
    try {
      prevTerm = disk.term(e.getIndex() - 1);
    } catch (LogCompactedException | LogUnavailableException ex) {
      prevTerm = -1;
    }
    Position pos = new Position(e.getIndex(), e.getTerm());
    Content content = new Content(e.getData().hashCode() ^ e.getType().getNumber(), prevTerm);
    Content known = entries.putIfAbsent(pos, content);
    if (known != null && (known.dataHash() != content.dataHash()
        || (known.prevTerm() != -1 && content.prevTerm() != -1
            && known.prevTerm() != content.prevTerm()))) {
      throw new AssertionError("log matching: two different entries at " + pos);
    }
  }

  /** State machine safety: every member has the same state after applying the same index. */
  void onApplied(long id, long index, long stateHash, Entry entry, long applierTerm) {
    Applied known = applied.get(index);
    if (known == null) {
      applied.put(index, new Applied(stateHash, entry, applierTerm));
      return;
    }
    if (known.stateHash() != stateHash) {
      throw new AssertionError("state machine safety: member " + id + " diverges at " + index);
    }
    if (entry != null && known.entry() == null) {
      applied.put(index, new Applied(stateHash, entry, applierTerm));
    } else if (applierTerm < known.termUpperBound()) {
      applied.put(index, new Applied(stateHash, known.entry(), applierTerm));
    }
  }

  /**
   * Leader completeness: an entry committed in a term below the leader's is in the leader's log.
   * The commit term is bounded by the term of the first member seen applying the entry.
   */
  void checkLeaderCompleteness(long id, long term, MemoryLog disk, boolean force) {
    Long checkedAt = checkedLeaderTerms.get(id);
    if (!force && checkedAt != null && checkedAt == term) return;
    checkedLeaderTerms.put(id, term);
    long first = disk.firstIndex();
    long last = disk.lastIndex();
    for (Map.Entry<Long, Applied> a : applied.tailMap(first, true).entrySet()) {
      Applied ap = a.getValue();
      if (ap.entry() == null || ap.termUpperBound() >= term) continue;
      long index = a.getKey();
      if (index > last) {
        throw new AssertionError("leader completeness: leader " + id + " of term " + term
            + " lacks committed entry " + index);
      }
      Entry mine = disk.entries(index, index + 1, Long.MAX_VALUE).get(0);
      if (!mine.equals(ap.entry())) {
        throw new AssertionError("leader completeness: leader " + id + " of term " + term
            + " holds a different entry at " + index);
      }
    }
  }

  long maxApplied() {
    return applied.isEmpty() ? 0 : applied.lastKey();
  }
}
