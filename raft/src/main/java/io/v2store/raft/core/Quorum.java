package io.v2store.raft.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/** Majority arithmetic over a set of voters (etcd's {@code quorum/majority.go}). */
final class Quorum {
  private Quorum() {}

  static int majority(int voters) {
    return voters / 2 + 1;
  }

  /**
   * The largest index that a majority has reached: the value at position n - majority of the sorted
   * match indexes. An empty configuration commits anything (Long.MAX_VALUE), as etcd's does.
   */
  static long committedIndex(long[] matchIndexes) {
    int n = matchIndexes.length;
    if (n == 0) return Long.MAX_VALUE;
    long[] sorted = matchIndexes.clone();
    Arrays.sort(sorted);
    return sorted[n - majority(n)];
  }

  /** The result of an election among voters given the votes received so far. */
  static VoteResult voteResult(Collection<Long> voters, Map<Long, Boolean> votes) {
    if (voters.isEmpty()) return VoteResult.WON;
    int granted = 0;
    int missing = 0;
    for (long id : voters) {
      Boolean v = votes.get(id);
      if (v == null) missing++;
      else if (v) granted++;
    }
    int q = majority(voters.size());
    if (granted >= q) return VoteResult.WON;
    if (granted + missing >= q) return VoteResult.PENDING;
    return VoteResult.LOST;
  }
}
