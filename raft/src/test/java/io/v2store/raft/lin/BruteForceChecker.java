package io.v2store.raft.lin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The naive definition of linearizability, for tiny histories only: some subset of the
 * unknown-outcome operations plus all determinate ones, in some order that respects real time,
 * is a legal sequential execution of all keys together (no per-key split, no memoization).
 */
final class BruteForceChecker {
  private BruteForceChecker() {}

  static boolean linearizable(List<Operation> history) {
    List<Operation> ops = new ArrayList<>();
    for (Operation op : history) {
      if (!(op.command() instanceof Command.Get && op.indeterminate())) ops.add(op);
    }
    if (ops.size() > 10) throw new IllegalArgumentException("too big for brute force");
    return search(ops, new boolean[ops.size()], new HashMap<>());
  }

  /** Depth-first over orders; an unknown operation may also be left out (never took effect). */
  private static boolean search(List<Operation> ops, boolean[] done, Map<String, String> state) {
    boolean allDeterminateDone = true;
    for (int i = 0; i < ops.size(); i++) {
      if (!done[i] && !ops.get(i).indeterminate()) allDeterminateDone = false;
    }
    if (allDeterminateDone) return true;
    for (int i = 0; i < ops.size(); i++) {
      if (done[i] || !minimal(ops, done, i)) continue;
      Operation op = ops.get(i);
      RegisterModel.Next next = RegisterModel.step(state.get(op.key()), op);
      if (!next.legal()) continue;
      Map<String, String> after = new HashMap<>(state);
      if (next.state() == null) after.remove(op.key());
      else after.put(op.key(), next.state());
      done[i] = true;
      boolean ok = search(ops, done, after);
      done[i] = false;
      if (ok) return true;
    }
    return false;
  }

  /**
   * Operation i may go next only if no pending determinate operation finished before it began
   * (a pending unknown one may always be dropped instead, so it never blocks).
   */
  private static boolean minimal(List<Operation> ops, boolean[] done, int i) {
    for (int j = 0; j < ops.size(); j++) {
      if (j == i || done[j] || ops.get(j).indeterminate()) continue;
      if (ops.get(j).completedAt() < ops.get(i).invokedAt()) return false;
    }
    return true;
  }
}
