package io.v2store.storage.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds the NodeViews of responses (spec 3.1). Only called when answering. */
final class Views {
  private static final Comparator<NodeView> BY_KEY =
      (a, b) -> Paths.compareNames(a.key(), b.key());

  private Views() {}

  /** A node as prevNode and write events show it: never expanded. */
  static NodeView plain(Node n, String key) {
    if (n.isRoot()) {
      return new NodeView(null, null, true, NodeView.NEVER, null, 0, 0);
    }
    String value = n instanceof KeyNode k ? k.value : null;
    return new NodeView(key, value, n.isDir(), n.expirationNanos(), null, n.modifiedIndex,
        n.createdIndex);
  }

  /** The node of a delete, compareAndDelete or expire event. */
  static NodeView removed(Node n, String key, long index) {
    return new NodeView(key, null, n.isDir(), NodeView.NEVER, null, index, n.createdIndex);
  }

  /** A GET answer: a key, or a directory with its visible children (all levels if recursive). */
  static NodeView listing(Node n, String key, boolean recursive, boolean sorted) {
    if (!(n instanceof DirNode dir)) {
      return plain(n, key);
    }
    return expanded(dir, key, recursive, sorted);
  }

  private static NodeView expanded(DirNode dir, String key, boolean recursive, boolean sorted) {
    List<NodeView> nodes = null;
    for (Node c : dir.children.slots()) {
      if (c == null || c.isHidden()) {
        continue;
      }
      if (nodes == null) {
        nodes = new ArrayList<>(dir.children.size());
      }
      String childKey = Paths.child(key == null ? "/" : key, c.name);
      nodes.add(recursive && c instanceof DirNode cd
          ? expanded(cd, childKey, true, sorted)
          : plain(c, childKey));
    }
    if (nodes != null && sorted) {
      nodes.sort(BY_KEY);
    }
    NodeView self = plain(dir, key);
    return new NodeView(self.key(), null, true, self.expirationNanos(),
        nodes == null ? null : List.copyOf(nodes), self.modifiedIndex(), self.createdIndex());
  }
}
