package io.v2store.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The commit-index and vote arithmetic against deliberately naive models. */
class QuorumProperties {

  /** Brute force: the largest index such that a strict majority of voters have reached it. */
  private static long naiveCommitted(List<Long> matches) {
    long best = 0;
    for (long candidate : matches) {
      int reached = 0;
      for (long m : matches) if (m >= candidate) reached++;
      if (2 * reached > matches.size()) best = Math.max(best, candidate);
    }
    return best;
  }

  @Property
  void committedIndexIsTheLargestIndexAMajorityReached(
      @ForAll @Size(min = 1, max = 9) List<@LongRange(min = 0, max = 50) Long> matches) {
    long[] array = matches.stream().mapToLong(Long::longValue).toArray();
    assertEquals(naiveCommitted(matches), Quorum.committedIndex(array));
  }

  @Property
  void voteResultMatchesCounting(
      @ForAll @Size(min = 1, max = 9) List<@LongRange(min = 0, max = 2) Long> answers) {
    // answer per voter: 0 = no answer yet, 1 = granted, 2 = rejected
    Map<Long, Boolean> votes = new HashMap<>();
    List<Long> voters = new java.util.ArrayList<>();
    int granted = 0;
    int rejected = 0;
    for (int i = 0; i < answers.size(); i++) {
      long id = i + 1;
      voters.add(id);
      if (answers.get(i) == 1) {
        votes.put(id, true);
        granted++;
      } else if (answers.get(i) == 2) {
        votes.put(id, false);
        rejected++;
      }
    }
    int n = answers.size();
    VoteResult expected = 2 * granted > n ? VoteResult.WON
        : 2 * rejected >= n ? VoteResult.LOST : VoteResult.PENDING;
    assertEquals(expected, Quorum.voteResult(voters, votes));
  }
}
