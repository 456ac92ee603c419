// Copied from raft/src/test/java/io/v2store/raft/lin/Verdict.java (keep the two in step): the it
// module cannot see raft's test classes without a test-jar dependency in its pom.
package io.v2store.it.cluster.lin;

import java.util.List;

/** The checker's answer for a whole history. */
public sealed interface Verdict {
  /** Every key's sub-history has a legal linearization. */
  record Linearizable(int operations, int keys) implements Verdict {}

  /**
   * One key's sub-history has no legal linearization. {@code longestPrefix} is the longest legal
   * order the search found, the place to start reading the history.
   */
  record Violation(String key, List<Operation> history, List<Operation> longestPrefix)
      implements Verdict {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("not linearizable on key ").append(key)
          .append("\nhistory (by invocation):\n");
      for (Operation op : history) sb.append("  ").append(op).append('\n');
      sb.append("longest legal order found:\n");
      for (Operation op : longestPrefix) sb.append("  ").append(op).append('\n');
      return sb.toString();
    }
  }

  /** The search gave up on a key after its step budget: neither proven nor refuted. */
  record Inconclusive(String key, int operations) implements Verdict {}

  default boolean linearizable() {
    return this instanceof Linearizable;
  }
}
