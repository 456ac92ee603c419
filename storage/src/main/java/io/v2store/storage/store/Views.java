package io.v2store.storage.store;

import java.util.ArrayDeque;
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

  /**
   * See {@link KeySpace#answerExceeds}. A key below the listed directory is counted as that
   * directory's path and its own name: deeper keys are longer, and the estimate only less.
   */
  static boolean answerExceeds(Node n, String key, boolean recursive, long limitBytes,
      int overheadBytes) {
    if (n == null) {
      return false;
    }
    long bytes = overheadBytes + key.length() + (n instanceof KeyNode k ? valueLength(k) : 0);
    if (!(n instanceof DirNode top)) {
      return bytes > limitBytes;
    }
    ArrayDeque<DirNode> toCount = new ArrayDeque<>();
    toCount.push(top);
    while (!toCount.isEmpty()) {
      for (Node c : toCount.pop().children.slots()) {
        if (c == null || c.isHidden()) {
          continue;
        }
        bytes += overheadBytes + key.length() + 1 + c.name.length();
        if (c instanceof KeyNode k) {
          bytes += valueLength(k);
        } else if (recursive) {
          toCount.push((DirNode) c);
        }
        if (bytes > limitBytes) {
          return true;
        }
      }
    }
    return false;
  }

  private static int valueLength(KeyNode k) {
    return k.value == null ? 0 : k.value.length();
  }

  /**
   * Depth-first without recursion: a key may be as deep as its path is long (etcd takes about
   * 2,000 levels), deeper than a thread's stack holds frames for before the JIT has compiled this.
   */
  private static NodeView expanded(DirNode top, String topKey, boolean recursive,
      boolean sorted) {
    ArrayDeque<Listing> open = new ArrayDeque<>();
    open.push(new Listing(top, topKey));
    while (true) {
      Listing l = open.peek();
      Listing deeper = null;
      while (deeper == null && l.next < l.slots.length) {
        Node c = l.slots[l.next++];
        if (c == null || c.isHidden()) {
          continue;
        }
        String childKey = Paths.child(l.key == null ? "/" : l.key, c.name);
        if (recursive && c instanceof DirNode cd) {
          deeper = new Listing(cd, childKey);
        } else {
          l.add(plain(c, childKey));
        }
      }
      if (deeper != null) {
        open.push(deeper);
        continue;
      }
      open.pop();
      NodeView done = l.view(sorted);
      if (open.isEmpty()) {
        return done;
      }
      open.peek().add(done);
    }
  }

  /** A directory being listed: its children in slot order, those listed so far. */
  private static final class Listing {
    final DirNode dir;
    final String key;
    final Node[] slots;
    int next;
    List<NodeView> nodes;

    Listing(DirNode dir, String key) {
      this.dir = dir;
      this.key = key;
      this.slots = dir.children.slots();
    }

    void add(NodeView child) {
      if (nodes == null) {
        nodes = new ArrayList<>(dir.children.size());
      }
      nodes.add(child);
    }

    NodeView view(boolean sorted) {
      if (nodes != null && sorted) {
        nodes.sort(BY_KEY);
      }
      NodeView self = plain(dir, key);
      return new NodeView(self.key(), null, true, self.expirationNanos(),
          nodes == null ? null : List.copyOf(nodes), self.modifiedIndex(), self.createdIndex());
    }
  }
}
