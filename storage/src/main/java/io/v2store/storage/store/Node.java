package io.v2store.storage.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A node of the key space tree. Mutable, touched only under the key space's write lock (reads
 * under its read lock). The full path is not stored: it is derived from the parent chain when a
 * response needs it, which saves one string per node.
 */
abstract sealed class Node permits KeyNode, DirNode {
  /** The last path component; "" for the root. */
  final String name;
  /**
   * name's hash as the parent's ChildTable spreads it. Kept here so that a probe run compares
   * ints in the nodes it passes instead of loading each one's name and its bytes: looking up a
   * name that is not there (what every create does first) in a directory of 700,000 took 967 ns
   * before, 494 with it (FlatDirectoryBenchmark). It fills the gap after the object header: a key
   * node is 48 bytes with it as without (class histogram).
   */
  final int nameHash;
  /** null for the root and for a node that has been removed from the tree. */
  DirNode parent;
  long createdIndex;
  long modifiedIndex;
  /** null when the node is permanent. */
  Expiry expiry;

  Node(String name, long createdIndex) {
    this.name = name;
    this.nameHash = ChildTable.hash(name);
    this.createdIndex = createdIndex;
    this.modifiedIndex = createdIndex;
  }

  abstract boolean isDir();

  boolean isRoot() {
    return name.isEmpty();
  }

  boolean isHidden() {
    return Paths.isHiddenName(name);
  }

  long expirationNanos() {
    return expiry == null ? NodeView.NEVER : expiry.deadlineNanos();
  }

  /** The full path, rebuilt from the parent chain. */
  String path() {
    if (parent == null) {
      return isRoot() ? "/" : "/" + name;
    }
    List<String> names = new ArrayList<>();
    for (Node n = this; n != null && !n.isRoot(); n = n.parent) {
      names.add(n.name);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = names.size() - 1; i >= 0; i--) {
      sb.append('/').append(names.get(i));
    }
    return sb.toString();
  }
}
