package io.v2store.storage.store;

/**
 * The write operations of etcd's v2 store, in its order of checks (spec 5, 8.5). Each either
 * throws an EtcdException having changed nothing, or advances the index by one and returns the
 * event. Called only on the apply thread under the write lock.
 */
final class Writes {
  private Writes() {}

  static Applied set(Tree t, String path, boolean dir, String value, long expirationNanos,
      boolean refresh) {
    if (refresh) {
      // A refresh keeps the value but still replaces the node (new createdIndex), as etcd does.
      Node prev = t.find(path, t.index);
      value = prev instanceof KeyNode k ? k.value : "";
    }
    // etcd's Set looks the target up first; the only error that lookup can add (104, the key
    // the path runs through) is the one create's parent walk reports with the same cause.
    return create(t, path, dir, value, false, true, expirationNanos, Action.SET, refresh);
  }

  /** etcd's internalCreate: replace = set semantics, else create (105 on an existing node). */
  static Applied create(Tree t, String path, boolean dir, String value, boolean unique,
      boolean replace, long expirationNanos, Action action, boolean refresh) {
    long current = t.index;
    long next = current + 1;
    if (unique) {
      path = Paths.child(path, uniqueName(next));
    }
    if (Paths.isRoot(path)) {
      throw EtcdError.ROOT_READ_ONLY.with("/", current);
    }
    DirNode parent = t.ensureDir(Paths.parent(path), next, current);
    String name = Paths.name(path);
    Node existing = parent.child(name);
    NodeView prevView = null;
    if (existing != null) {
      if (!replace) {
        throw EtcdError.NODE_EXIST.with(path, current);
      }
      if (existing.isDir()) {
        throw EtcdError.NOT_FILE.with(path, current);
      }
      prevView = Views.plain(existing, path);
      t.removeSubtree(existing);
    }
    Node created = dir ? new DirNode(name, next) : new KeyNode(name, next, value);
    parent.add(created);
    if (!dir) t.keys++;
    t.expiries.set(created, expirationNanos, next);
    t.index = next;
    NodeView view = new NodeView(path, dir ? null : value, dir, expirationNanos, null, next, next);
    return new Applied(new Event(action, view, prevView, next, refresh), null);
  }

  static Applied update(Tree t, String path, String value, long expirationNanos,
      boolean refresh) {
    long current = t.index;
    if (Paths.isRoot(path)) {
      throw EtcdError.ROOT_READ_ONLY.with("/", current);
    }
    Node n = t.find(path, current);
    if (n.isDir() && !value.isEmpty()) {
      throw EtcdError.NOT_FILE.with(path, current);
    }
    long next = current + 1;
    NodeView prevView = Views.plain(n, path);
    String newValue = null;
    if (n instanceof KeyNode k) {
      newValue = refresh ? k.value : value;
      k.value = newValue;
      k.modifiedIndex = next;
    }
    // A directory keeps its stored modifiedIndex although the event reports next (etcd quirk).
    t.expiries.set(n, expirationNanos, next);
    t.index = next;
    NodeView view = new NodeView(path, newValue, n.isDir(), expirationNanos, null, next,
        n.createdIndex);
    return new Applied(new Event(Action.UPDATE, view, prevView, next, refresh), null);
  }

  static Applied compareAndSwap(Tree t, String path, String prevValue, long prevIndex,
      String value, long expirationNanos, boolean refresh) {
    long current = t.index;
    if (Paths.isRoot(path)) {
      throw EtcdError.ROOT_READ_ONLY.with("/", current);
    }
    Node n = t.find(path, current);
    if (!(n instanceof KeyNode k)) {
      throw EtcdError.NOT_FILE.with(path, current);
    }
    compare(k, prevValue, prevIndex, current);
    long next = current + 1;
    NodeView prevView = Views.plain(k, path);
    String newValue = refresh ? k.value : value;
    k.value = newValue;
    k.modifiedIndex = next;
    t.expiries.set(k, expirationNanos, next);
    t.index = next;
    NodeView view = new NodeView(path, newValue, false, expirationNanos, null, next,
        k.createdIndex);
    return new Applied(new Event(Action.COMPARE_AND_SWAP, view, prevView, next, refresh), null);
  }

  static Applied delete(Tree t, String path, boolean dir, boolean recursive) {
    long current = t.index;
    if (Paths.isRoot(path)) {
      throw EtcdError.ROOT_READ_ONLY.with("/", current);
    }
    Node n = t.find(path, current);
    if (n instanceof DirNode d) {
      if (!dir && !recursive) {
        throw EtcdError.NOT_FILE.with(path, current);
      }
      if (d.children.size() != 0 && !recursive) {
        throw EtcdError.DIR_NOT_EMPTY.with(path, current);
      }
    }
    return remove(t, n, path, Action.DELETE);
  }

  static Applied compareAndDelete(Tree t, String path, String prevValue, long prevIndex) {
    long current = t.index;
    if (Paths.isRoot(path)) {
      throw EtcdError.NOT_FILE.with(null, current); // etcd answers 102 without a cause here
    }
    Node n = t.find(path, current);
    if (!(n instanceof KeyNode k)) {
      throw EtcdError.NOT_FILE.with(path, current);
    }
    compare(k, prevValue, prevIndex, current);
    return remove(t, k, path, Action.COMPARE_AND_DELETE);
  }

  /** Expires the node with the earliest deadline if it is due; null when none is. */
  static Applied expireOne(Tree t, long nowNanos) {
    Node n = t.expiries.firstDue(nowNanos);
    return n == null ? null : remove(t, n, n.path(), Action.EXPIRE);
  }

  private static Applied remove(Tree t, Node n, String path, Action action) {
    long next = t.index + 1;
    NodeView prevView = Views.plain(n, path);
    NodeView view = Views.removed(n, path, next);
    t.removeSubtree(n);
    t.index = next;
    return new Applied(new Event(action, view, prevView, next, false), n);
  }

  private static void compare(KeyNode k, String prevValue, long prevIndex, long current) {
    boolean valueMatch = prevValue == null || prevValue.isEmpty() || prevValue.equals(k.value);
    boolean indexMatch = prevIndex == 0 || prevIndex == k.modifiedIndex;
    if (valueMatch && indexMatch) {
      return;
    }
    String valueCause = "[" + prevValue + " != " + k.value + "]";
    String indexCause = "[" + Long.toUnsignedString(prevIndex) + " != " + k.modifiedIndex + "]";
    String cause = !valueMatch && !indexMatch ? valueCause + " " + indexCause
        : valueMatch ? indexCause : valueCause;
    throw EtcdError.TEST_FAILED.with(cause, current);
  }

  /** POST names: the new index in decimal, zero-padded to 20 characters. */
  static String uniqueName(long index) {
    String digits = Long.toString(index);
    return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
  }
}
