package io.v2store.storage.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The last capacity events, oldest first, in a ring. Written under the key space's write lock,
 * scanned under its read lock. The ring grows with the events it holds up to the capacity, so a
 * large --history-size costs memory only as events come (its largest value, 2^31-1, could not
 * be allocated at all, and a few hundred million was a heap's worth at every start and every
 * snapshot installed).
 */
final class EventHistory {
  private static final int INITIAL_RING = 1024;
  private final int capacity;
  private Event[] ring;
  private int start;
  private int size;
  /* Events up to this index are known lost (an import): a watch for them is answered 401. */
  private long clearedThrough;

  EventHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("history capacity must be >= 1: " + capacity);
    }
    this.capacity = capacity;
    ring = new Event[Math.min(capacity, INITIAL_RING)];
  }

  int capacity() {
    return capacity;
  }

  void add(Event e) {
    if (size == ring.length && size < capacity) {
      grow();
    }
    if (size == ring.length) {
      ring[start] = e;
      start = (start + 1) % ring.length;
    } else {
      ring[(start + size) % ring.length] = e;
      size++;
    }
  }

  /* Doubles the ring (within the capacity), the oldest event moved to its start. */
  private void grow() {
    Event[] bigger = new Event[(int) Math.min(capacity, 2L * ring.length)];
    for (int i = 0; i < size; i++) {
      bigger[i] = at(i);
    }
    ring = bigger;
    start = 0;
  }

  void clear() {
    ring = new Event[Math.min(capacity, INITIAL_RING)];
    start = 0;
    size = 0;
    clearedThrough = 0;
  }

  void clearedThrough(long index) {
    clearedThrough = index;
  }

  long clearedThrough() {
    return clearedThrough;
  }

  /** The retained events, oldest first. */
  List<Event> events() {
    List<Event> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(at(i));
    }
    return out;
  }

  private Event at(int i) {
    return ring[(start + i) % ring.length];
  }

  /**
   * etcd's EventHistory.scan: the first non-refresh event with index >= sinceIndex that matches
   * a watch on path, or null when there is none (or sinceIndex is in the future).
   *
   * @throws EtcdException 401 when sinceIndex is older than the oldest retained event
   */
  Event scan(String path, boolean recursive, long sinceIndex, long currentIndex) {
    long oldest = size == 0 ? (clearedThrough == 0 ? 0 : clearedThrough + 1) : at(0).index();
    if (sinceIndex < oldest) {
      throw EtcdError.EVENT_INDEX_CLEARED.with(
          "the requested history has been cleared [" + oldest + "/" + sinceIndex + "]",
          currentIndex);
    }
    if (size == 0 || sinceIndex > at(size - 1).index()) {
      return null;
    }
    for (int i = firstAtOrAfter(sinceIndex); i < size; i++) {
      Event e = at(i);
      if (!e.isRefresh() && matches(e, path, recursive)) {
        return e;
      }
    }
    return null;
  }

  private int firstAtOrAfter(long index) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (at(mid).index() < index) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The history matching rule, hidden nodes included (spec 2.3 quirk). Like etcd, a deleted or
   * expired directory matches any watched path that starts with its key as a string, so
   * deleting "/a" also answers a history watch on "/ab" (observed on etcd 3.4.23).
   */
  static boolean matches(Event e, String path, boolean recursive) {
    String key = e.node().key();
    if (key.equals(path)) {
      return true;
    }
    if (recursive && key.startsWith(Paths.isRoot(path) ? "/" : path + "/")) {
      return true;
    }
    NodeView prev = e.prevNode();
    return (e.action() == Action.DELETE || e.action() == Action.EXPIRE)
        && prev != null && prev.dir() && path.startsWith(prev.key());
  }
}
