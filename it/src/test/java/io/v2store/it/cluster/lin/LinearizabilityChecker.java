// Copied from raft/src/test/java/io/v2store/raft/lin/LinearizabilityChecker.java (keep the two in step): the it
// module cannot see raft's test classes without a test-jar dependency in its pom.
package io.v2store.it.cluster.lin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Jepsen-style (Knossos/Porcupine) linearizability checker for histories of register
 * operations on keys. Keys are independent registers, so the history is split by key
 * (P-compositionality, Horn and Kroening) and each sub-history searched on its own with Wing and
 * Gong's algorithm and Lowe's memoization ({@link KeySearch}).
 *
 * <p>Reads with an unknown outcome are dropped (they cannot constrain anything); writes with an
 * unknown outcome stay, open to the end of time, and may be linearized anywhere after their
 * invocation or not at all.
 */
public final class LinearizabilityChecker {
  /** Search steps per key before giving up; small histories need a tiny fraction of this. */
  public static final long DEFAULT_MAX_STEPS_PER_KEY = 20_000_000;

  private final long maxStepsPerKey;

  public LinearizabilityChecker() {
    this(DEFAULT_MAX_STEPS_PER_KEY);
  }

  public LinearizabilityChecker(long maxStepsPerKey) {
    this.maxStepsPerKey = maxStepsPerKey;
  }

  public Verdict check(List<Operation> history) {
    Map<String, List<Operation>> byKey = new TreeMap<>();
    int kept = 0;
    for (Operation op : history) {
      if (op.command() instanceof Command.Get && op.indeterminate()) continue;
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      kept++;
    }
    for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
      List<Operation> ops = e.getValue();
      ops.sort(Comparator.comparingLong(Operation::invokedAt));
      KeySearch search = new KeySearch(ops, maxStepsPerKey);
      KeySearch.Result r = search.run();
      if (r == KeySearch.Result.GAVE_UP) return new Verdict.Inconclusive(e.getKey(), ops.size());
      if (r == KeySearch.Result.ILLEGAL) {
        return new Verdict.Violation(e.getKey(), List.copyOf(ops), search.longestPrefix());
      }
    }
    return new Verdict.Linearizable(kept, byKey.size());
  }

  /** Checks and throws an AssertionError carrying the whole verdict unless linearizable. */
  public static void assertLinearizable(List<Operation> history, String context) {
    Verdict v = new LinearizabilityChecker().check(history);
    if (!v.linearizable()) throw new AssertionError(context + ": " + v);
  }
}
