package io.v2store.storage.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately naive v2 store for differential tests: every node in one TreeMap keyed by full
 * path, every rule written out by brute force from the spec (and etcd's observed behaviour),
 * sharing no code with the real key space.
 */
final class ModelStore {
  static final long NEVER = NodeView.NEVER;

  static final class MNode {
    boolean dir;
    String value;
    long created;
    long modified;
    long exp = NEVER;
    long seq;

    MNode copy() {
      MNode c = new MNode();
      c.dir = dir;
      c.value = value;
      c.created = created;
      c.modified = modified;
      c.exp = exp;
      c.seq = seq;
      return c;
    }
  }

  /** A registered live watcher and everything it received. */
  static final class MWatcher {
    final String path;
    final boolean recursive;
    final boolean stream;
    final long since;
    final List<Event> got = new ArrayList<>();
    boolean active = true;

    MWatcher(String path, boolean recursive, boolean stream, long since) {
      this.path = path;
      this.recursive = recursive;
      this.stream = stream;
      this.since = since;
    }
  }

  final TreeMap<String, MNode> nodes = new TreeMap<>();
  final List<Event> history = new ArrayList<>();
  final List<MWatcher> watchers = new ArrayList<>();
  final int historyCapacity;
  long index;

  ModelStore(int historyCapacity) {
    this.historyCapacity = historyCapacity;
  }

  // ---- paths ----

  static List<String> prefixes(String path) {
    List<String> out = new ArrayList<>();
    if (path.equals("/")) {
      return out;
    }
    String[] parts = path.substring(1).split("/", -1);
    String p = "";
    for (String part : parts) {
      p = p + "/" + part;
      out.add(p);
    }
    return out;
  }

  static String parentOf(String path) {
    int i = path.lastIndexOf('/');
    return i == 0 ? "/" : path.substring(0, i);
  }

  static boolean below(String path, String dir) {
    return dir.equals("/") ? !path.equals("/") : path.startsWith(dir + "/");
  }

  EtcdException err(EtcdError e, String cause) {
    return new EtcdException(e, cause, index);
  }

  /** internalGet: null for the root. */
  MNode find(String path) {
    String parent = "/";
    MNode n = null;
    for (String p : prefixes(path)) {
      if (n != null && !n.dir) {
        throw err(EtcdError.NOT_DIR, parent);
      }
      n = nodes.get(p);
      if (n == null) {
        throw err(EtcdError.KEY_NOT_FOUND, p);
      }
      parent = p;
    }
    return n;
  }

  void ensureParents(String path, long next) {
    for (String p : prefixes(parentOf(path))) {
      MNode n = nodes.get(p);
      if (n == null) {
        MNode d = new MNode();
        d.dir = true;
        d.created = next;
        d.modified = next;
        nodes.put(p, d);
      } else if (!n.dir) {
        throw err(EtcdError.NOT_DIR, p);
      }
    }
  }

  void removeTree(String path) {
    nodes.keySet().removeIf(k -> k.equals(path) || below(k, path));
  }

  NodeView view(String path, MNode n) {
    return new NodeView(path, n.dir ? null : n.value, n.dir, n.exp, null, n.modified, n.created);
  }

  // ---- writes ----

  Applied set(String path, boolean dir, String value, long exp, boolean refresh) {
    MNode prev = null;
    try {
      prev = find(path);
    } catch (EtcdException e) {
      if (e.error() != EtcdError.KEY_NOT_FOUND || refresh) {
        throw e;
      }
    }
    if (refresh) {
      value = prev == null || prev.dir ? "" : prev.value;
    }
    return create(path, dir, value, false, true, exp, Action.SET, refresh);
  }

  Applied create(String path, boolean dir, String value, boolean unique, boolean replace,
      long exp, Action action, boolean refresh) {
    long next = index + 1;
    if (unique) {
      path = (path.equals("/") ? "" : path) + "/" + String.format("%020d", next);
    }
    if (path.equals("/")) {
      throw err(EtcdError.ROOT_READ_ONLY, "/");
    }
    ensureParents(path, next);
    MNode old = nodes.get(path);
    NodeView prev = null;
    if (old != null) {
      if (!replace) {
        throw err(EtcdError.NODE_EXIST, path);
      }
      if (old.dir) {
        throw err(EtcdError.NOT_FILE, path);
      }
      prev = view(path, old);
    }
    MNode n = new MNode();
    n.dir = dir;
    n.value = dir ? null : value;
    n.created = next;
    n.modified = next;
    n.exp = exp;
    n.seq = next;
    nodes.put(path, n);
    index = next;
    return commit(new Event(action, view(path, n), prev, next, refresh), null);
  }

  Applied update(String path, String value, long exp, boolean refresh) {
    if (path.equals("/")) {
      throw err(EtcdError.ROOT_READ_ONLY, "/");
    }
    MNode n = find(path);
    if (n.dir && !value.isEmpty()) {
      throw err(EtcdError.NOT_FILE, path);
    }
    long next = index + 1;
    NodeView prev = view(path, n);
    if (!n.dir) {
      n.value = refresh ? n.value : value;
      n.modified = next;
    }
    n.exp = exp;
    n.seq = next;
    index = next;
    NodeView now = new NodeView(path, n.dir ? null : n.value, n.dir, exp, null, next, n.created);
    return commit(new Event(Action.UPDATE, now, prev, next, refresh), null);
  }

  Applied cas(String path, String prevValue, long prevIndex, String value, long exp,
      boolean refresh) {
    if (path.equals("/")) {
      throw err(EtcdError.ROOT_READ_ONLY, "/");
    }
    MNode n = find(path);
    if (n.dir) {
      throw err(EtcdError.NOT_FILE, path);
    }
    check(n, prevValue, prevIndex);
    long next = index + 1;
    NodeView prev = view(path, n);
    n.value = refresh ? n.value : value;
    n.modified = next;
    n.exp = exp;
    n.seq = next;
    index = next;
    return commit(new Event(Action.COMPARE_AND_SWAP, view(path, n), prev, next, refresh), null);
  }

  Applied delete(String path, boolean dir, boolean recursive) {
    if (path.equals("/")) {
      throw err(EtcdError.ROOT_READ_ONLY, "/");
    }
    MNode n = find(path);
    if (n.dir && !dir && !recursive) {
      throw err(EtcdError.NOT_FILE, path);
    }
    if (n.dir && !recursive && nodes.keySet().stream().anyMatch(k -> below(k, path))) {
      throw err(EtcdError.DIR_NOT_EMPTY, path);
    }
    return remove(path, n, Action.DELETE);
  }

  Applied cad(String path, String prevValue, long prevIndex) {
    if (path.equals("/")) {
      throw err(EtcdError.NOT_FILE, null);
    }
    MNode n = find(path);
    if (n.dir) {
      throw err(EtcdError.NOT_FILE, path);
    }
    check(n, prevValue, prevIndex);
    return remove(path, n, Action.COMPARE_AND_DELETE);
  }

  List<Event> expire(long now) {
    List<Event> out = new ArrayList<>();
    while (true) {
      Map.Entry<String, MNode> due = null;
      for (Map.Entry<String, MNode> e : nodes.entrySet()) {
        MNode n = e.getValue();
        if (n.exp != NEVER && n.exp <= now && (due == null || n.exp < due.getValue().exp
            || (n.exp == due.getValue().exp && n.seq < due.getValue().seq))) {
          due = e;
        }
      }
      if (due == null) {
        return out;
      }
      out.add(remove(due.getKey(), due.getValue(), Action.EXPIRE).event());
    }
  }

  private Applied remove(String path, MNode n, Action action) {
    long next = index + 1;
    NodeView prev = view(path, n);
    NodeView now = new NodeView(path, null, n.dir, NEVER, null, next, n.created);
    // The paths that existed below the removed node, for the watchers of descendants.
    List<String> existed = new ArrayList<>();
    for (String k : nodes.keySet()) {
      if (below(k, path)) {
        existed.add(k);
      }
    }
    removeTree(path);
    index = next;
    return commit(new Event(action, now, prev, next, false), existed);
  }

  private void check(MNode n, String prevValue, long prevIndex) {
    boolean valueOk = prevValue == null || prevValue.isEmpty() || prevValue.equals(n.value);
    boolean indexOk = prevIndex == 0 || prevIndex == n.modified;
    if (!valueOk && !indexOk) {
      throw err(EtcdError.TEST_FAILED, "[" + prevValue + " != " + n.value + "] [" + prevIndex
          + " != " + n.modified + "]");
    } else if (!valueOk) {
      throw err(EtcdError.TEST_FAILED, "[" + prevValue + " != " + n.value + "]");
    } else if (!indexOk) {
      throw err(EtcdError.TEST_FAILED, "[" + prevIndex + " != " + n.modified + "]");
    }
  }

  private Applied commit(Event e, List<String> removedBelow) {
    history.add(e);
    if (!e.isRefresh()) {
      for (MWatcher w : watchers) {
        if (w.active && e.index() >= w.since && liveMatch(w, e, removedBelow)) {
          w.got.add(e);
          w.active = w.stream;
        }
      }
    }
    return new Applied(e, null);
  }

  private static boolean liveMatch(MWatcher w, Event e, List<String> removedBelow) {
    String key = e.node().key();
    if (key.equals(w.path)) {
      return true;
    }
    if (w.recursive && below(key, w.path)) {
      String rest = w.path.equals("/") ? key : key.substring(w.path.length());
      if (Arrays.stream(rest.substring(1).split("/")).noneMatch(c -> c.startsWith("_"))) {
        return true;
      }
    }
    return removedBelow != null && removedBelow.contains(w.path);
  }

  // ---- reads and watches ----

  NodeView get(String path, boolean recursive) {
    MNode n = find(path);
    if (n != null && !n.dir) {
      return view(path, n);
    }
    return listing(path, n, true, recursive);
  }

  private NodeView listing(String path, MNode n, boolean expand, boolean recursive) {
    List<NodeView> children = new ArrayList<>();
    if (expand) {
      for (Map.Entry<String, MNode> e : nodes.entrySet()) {
        String k = e.getKey();
        if (parentOf(k).equals(path) && !k.equals("/")
            && !k.substring(k.lastIndexOf('/') + 1).startsWith("_")) {
          MNode c = e.getValue();
          children.add(c.dir ? listing(k, c, recursive, recursive) : view(k, c));
        }
      }
      children.sort((a, b) -> Arrays.compareUnsigned(a.key().getBytes(StandardCharsets.UTF_8),
          b.key().getBytes(StandardCharsets.UTF_8)));
    }
    List<NodeView> list = children.isEmpty() ? null : List.copyOf(children);
    if (n == null) {
      return new NodeView(null, null, true, NEVER, list, 0, 0);
    }
    return new NodeView(path, null, true, n.exp, list, n.modified, n.created);
  }

  /** Registers a watcher or answers it: the history event, or null when registered. */
  Event watch(String path, boolean recursive, boolean stream, long sinceIndex, List<MWatcher> out) {
    long since = sinceIndex == 0 ? index + 1 : sinceIndex;
    List<Event> kept = history.subList(Math.max(0, history.size() - historyCapacity),
        history.size());
    long oldest = kept.isEmpty() ? 0 : kept.get(0).index();
    if (since < oldest) {
      throw err(EtcdError.EVENT_INDEX_CLEARED,
          "the requested history has been cleared [" + oldest + "/" + since + "]");
    }
    for (Event e : kept) {
      if (e.index() >= since && !e.isRefresh() && historyMatch(e, path, recursive)) {
        return e;
      }
    }
    MWatcher w = new MWatcher(path, recursive, stream, since);
    watchers.add(w);
    out.add(w);
    return null;
  }

  private static boolean historyMatch(Event e, String path, boolean recursive) {
    String key = e.node().key();
    boolean removedDir = (e.action() == Action.DELETE || e.action() == Action.EXPIRE)
        && e.prevNode().dir();
    return key.equals(path) || (recursive && below(key, path))
        || (removedDir && path.startsWith(key));
  }

  long activeWatchers() {
    return watchers.stream().filter(w -> w.active).count();
  }

  long nextExpiration() {
    return nodes.values().stream().mapToLong(n -> n.exp).min().orElse(NEVER);
  }
}
