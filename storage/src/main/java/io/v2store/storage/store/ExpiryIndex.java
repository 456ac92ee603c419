package io.v2store.storage.store;

import java.util.Comparator;
import java.util.TreeSet;

/** Nodes with a TTL ordered by deadline: what expire(now) walks. */
final class ExpiryIndex {
  private static final Comparator<Expiry> ORDER =
      Comparator.comparingLong(Expiry::deadlineNanos).thenComparingLong(Expiry::seq);

  private final TreeSet<Expiry> byDeadline = new TreeSet<>(ORDER);

  /** Sets (or with NEVER, clears) node's deadline; seq is the index of the write doing it. */
  void set(Node node, long deadlineNanos, long seq) {
    clear(node);
    if (deadlineNanos != NodeView.NEVER) {
      node.expiry = new Expiry(deadlineNanos, seq, node);
      byDeadline.add(node.expiry);
    }
  }

  /** Restores a deadline read from a snapshot, keeping its original tie-break. */
  void restore(Node node, Expiry expiry) {
    node.expiry = expiry;
    byDeadline.add(expiry);
  }

  void clear(Node node) {
    if (node.expiry != null) {
      byDeadline.remove(node.expiry);
      node.expiry = null;
    }
  }

  /** The node with the earliest deadline if that deadline is <= nowNanos, else null. */
  Node firstDue(long nowNanos) {
    if (byDeadline.isEmpty()) {
      return null;
    }
    Expiry first = byDeadline.first();
    return first.deadlineNanos() <= nowNanos ? first.node() : null;
  }

  long nextDeadlineNanos() {
    return byDeadline.isEmpty() ? NodeView.NEVER : byDeadline.first().deadlineNanos();
  }

  int size() {
    return byDeadline.size();
  }
}
