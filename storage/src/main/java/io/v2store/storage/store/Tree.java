package io.v2store.storage.store;

import java.util.ArrayDeque;

/**
 * The node tree and its expiry index, with the walks etcd's store does: lookup (internalGet),
 * creation of missing parents (checkDir) and subtree removal. Errors carry currentIndex.
 */
final class Tree {
  DirNode root = new DirNode("", 0);
  ExpiryIndex expiries = new ExpiryIndex();
  /** The etcd index; written under the write lock, read lock-free by index(). */
  volatile long index;
  /**
   * How many keys (not directories, hidden ones included) the tree holds, kept by every creation
   * and removal: a metrics scrape used to walk the whole tree under the read lock for it (16 ms
   * at a million keys, while writes waited).
   */
  long keys;

  /**
   * The node at path.
   *
   * @throws EtcdException 100 with the first missing component, or 104 with the key that the
   *     path runs through
   */
  Node find(String path, long currentIndex) {
    Node n = root;
    int start = 1;
    while (start < path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      if (!(n instanceof DirNode dir)) {
        throw EtcdError.NOT_DIR.with(path.substring(0, start - 1), currentIndex);
      }
      n = dir.child(path.substring(start, end));
      if (n == null) {
        throw EtcdError.KEY_NOT_FOUND.with(path.substring(0, end), currentIndex);
      }
      start = end + 1;
    }
    return n;
  }

  /** The node at path, or null when it (or a parent) is missing or the path runs through a key. */
  Node findOrNull(String path) {
    Node n = root;
    int start = 1;
    while (start < path.length() && n != null) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      n = n instanceof DirNode dir ? dir.child(path.substring(start, end)) : null;
      start = end + 1;
    }
    return n;
  }

  /**
   * The directory at dirPath, creating missing directories with index newIndex.
   *
   * @throws EtcdException 104 when the path runs through a key (cause: that key)
   */
  DirNode ensureDir(String dirPath, long newIndex, long currentIndex) {
    DirNode d = root;
    int start = 1;
    while (start < dirPath.length()) {
      int end = dirPath.indexOf('/', start);
      if (end < 0) {
        end = dirPath.length();
      }
      String name = dirPath.substring(start, end);
      Node child = d.child(name);
      if (child == null) {
        DirNode created = new DirNode(name, newIndex);
        d.add(created);
        d = created;
      } else if (child instanceof DirNode childDir) {
        d = childDir;
      } else {
        throw EtcdError.NOT_DIR.with(dirPath.substring(0, end), currentIndex);
      }
      start = end + 1;
    }
    return d;
  }

  /** The key count by walking the tree, for a tree built without counting (and for tests). */
  long countKeysByWalking() {
    long count = 0;
    ArrayDeque<DirNode> dirs = new ArrayDeque<>();
    dirs.push(root);
    while (!dirs.isEmpty()) {
      for (Node n : dirs.pop().children.slots()) {
        if (n instanceof DirNode d) {
          dirs.push(d);
        } else if (n != null) {
          count++;
        }
      }
    }
    return count;
  }

  /**
   * Unlinks node from its parent, drops the deadlines of its whole subtree and takes its keys off
   * the count: removing a directory walks what is below it. The removed subtree keeps its own
   * links, so watchers of its former descendants can still be found.
   */
  void removeSubtree(Node node) {
    node.parent.removeChild(node);
    if (!(node instanceof DirNode)) {
      keys--;
      if (expiries.size() != 0) expiries.clear(node);
      return;
    }
    ArrayDeque<Node> todo = new ArrayDeque<>();
    todo.push(node);
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (expiries.size() != 0) expiries.clear(n);
      if (n instanceof DirNode dir) {
        for (Node c : dir.children.slots()) {
          if (c != null) {
            todo.push(c);
          }
        }
      } else {
        keys--;
      }
    }
  }
}
