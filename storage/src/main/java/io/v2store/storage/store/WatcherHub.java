package io.v2store.storage.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Registered watchers indexed by watched path. An event visits only the watchers of its key,
 * of its ancestors and, when it removed a directory, of the paths below that directory (a
 * sorted-map range), never the whole population. Registration comes from any thread, delivery
 * from the apply thread; the monitor guards the map, sinks are called outside it.
 */
final class WatcherHub {
  private final TreeMap<String, List<Watcher>> byPath = new TreeMap<>();
  private int count;

  synchronized Watcher register(String path, boolean recursive, boolean stream, long sinceIndex,
      long startIndex, WatchSink sink) {
    Watcher w = new Watcher(path, recursive, stream, sinceIndex, startIndex, sink, this);
    byPath.computeIfAbsent(path, p -> new ArrayList<>(2)).add(w);
    count++;
    return w;
  }

  synchronized void remove(Watcher w) {
    if (w.removed) {
      return;
    }
    w.removed = true;
    count--;
    List<Watcher> list = byPath.get(w.path);
    if (list != null) {
      list.remove(w);
      if (list.isEmpty()) {
        byPath.remove(w.path);
      }
    }
  }

  synchronized int count() {
    return count;
  }

  /** Hands a live event to every watcher it wakes; drops one-shot and refusing watchers. */
  void deliver(Applied applied) {
    Event e = applied.event();
    if (e.isRefresh()) {
      return;
    }
    List<Watcher> woken = collect(e, applied.removed());
    for (Watcher w : woken) {
      if (!w.sink.deliver(e)) {
        remove(w);
      }
    }
  }

  private synchronized List<Watcher> collect(Event e, Node removed) {
    List<Watcher> woken = new ArrayList<>();
    if (byPath.isEmpty()) {
      return woken;
    }
    String key = e.node().key();
    visit("/", key, e, false, woken);
    for (int i = key.indexOf('/', 1); i > 0; i = key.indexOf('/', i + 1)) {
      visit(key.substring(0, i), key, e, false, woken);
    }
    visit(key, key, e, false, woken);
    if (removed instanceof DirNode dir) {
      // Like etcd, only watchers of nodes that existed in the removed subtree are woken.
      NavigableMap<String, List<Watcher>> below = byPath.subMap(key + "/", true, key + "0", false);
      for (String watched : new ArrayList<>(below.keySet())) {
        if (existsIn(dir, watched.substring(key.length() + 1))) {
          visit(watched, key, e, true, woken);
        }
      }
    }
    return woken;
  }

  /** etcd's notifyWatchers for one path: deleted = the path's node was removed with a dir. */
  private void visit(String watched, String key, Event e, boolean deleted, List<Watcher> woken) {
    List<Watcher> list = byPath.get(watched);
    if (list == null) {
      return;
    }
    boolean original = watched.equals(key);
    if (!original && !deleted && Paths.isHiddenBelow(watched, key)) {
      return;
    }
    int answered = 0;
    for (Watcher w : list) {
      if ((w.recursive || original || deleted) && e.index() >= w.sinceIndex) {
        woken.add(w);
        if (!w.stream) {
          w.removed = true;
          answered++;
        }
      }
    }
    if (answered > 0) {
      // One pass: removing each answered one-shot through the iterator shifted the rest of the
      // list every time, quadratic in the watchers of one key (thousands of confd's on a path).
      list.removeIf(w -> w.removed);
      count -= answered;
    }
    if (list.isEmpty()) {
      byPath.remove(watched);
    }
  }

  private static boolean existsIn(DirNode dir, String relative) {
    Node n = dir;
    for (String name : relative.split("/", -1)) {
      if (!(n instanceof DirNode d) || (n = d.child(name)) == null) {
        return false;
      }
    }
    return true;
  }

  /** For tests: paths with registered watchers. */
  synchronized Map<String, Integer> snapshotCounts() {
    Map<String, Integer> out = new TreeMap<>();
    byPath.forEach((p, l) -> out.put(p, l.size()));
    return out;
  }
}
