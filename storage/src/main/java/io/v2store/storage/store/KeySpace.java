package io.v2store.storage.store;

import io.v2store.storage.store.StatsCounters.Counter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The v2 key space: the node tree, the expiry index, the watcher hub and the event history.
 *
 * <p>Threads: mutations are called only by the apply loop, one at a time, and are deterministic
 * (no clock, no randomness: times arrive as arguments). Reads and watch registration may be called
 * from any thread concurrently with mutations.
 *
 * <p>Paths are cleaned absolute paths ("/", "/a", "/a/b"). Every successful mutation increments
 * {@link #index()} by exactly one; failures throw {@link EtcdException} (carrying the current
 * index) and change nothing except the fail counters.
 *
 * <p>Locking: a mutation changes the tree and appends its event to the history under the write
 * lock; a watch scans the history and registers under the read lock. So a watch either finds an
 * event in the history or is registered before that event is appended, never both and never
 * neither. Events are handed to sinks after the write lock is released, on the apply thread, in
 * index order.
 */
public final class KeySpace {

  /** etcd's default event history length. */
  public static final int DEFAULT_HISTORY = 1000;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final EventHistory history;
  private final WatcherHub hub = new WatcherHub();
  private final StatsCounters stats = new StatsCounters();
  private volatile Tree tree = new Tree();
  /*
   * Apply thread only. While deliveries are held, the events of mutations wait here for
   * releaseDeliveries(), in index order. The history has them already, so a watch registered
   * meanwhile is answered from it; only watchers parked before the mutation wait.
   */
  private final List<Applied> heldDeliveries = new ArrayList<>();
  private boolean holdingDeliveries;
  /* Apply thread only: the clock the next mutations' events show their ttl against (0: none). */
  private long eventClockNanos;

  public KeySpace(int historyCapacity) {
    this.history = new EventHistory(historyCapacity);
  }

  /**
   * From now until {@link #releaseDeliveries()}, events go to the history and to reads at once
   * but reach parked watchers only at the release. The apply loop holds them while it answers the
   * write's own client: a write wakes every watcher of its key, thousands of network writes queued
   * on the same event loops as that client's answer, and etcd answers the writer first.
   */
  public void holdDeliveries() {
    holdingDeliveries = true;
  }

  /**
   * The time (unix epoch nanoseconds) at which the next mutations happen, as the applying member's
   * clock reads it: their events show their ttl as of then, wherever and whenever they are read,
   * as etcd's do. Expiry events take the time given to {@link #expire} instead. 0 (the default)
   * leaves the ttl to the reader's clock.
   */
  public void setEventClock(long epochNanos) {
    this.eventClockNanos = epochNanos;
  }

  /** Hands the held events to their watchers, in index order, and stops holding. */
  public void releaseDeliveries() {
    holdingDeliveries = false;
    for (Applied a : heldDeliveries) {
      hub.deliver(a);
    }
    heldDeliveries.clear();
  }

  /** Whether releasing would wake anyone: events are held and some watcher is parked. */
  public boolean deliveriesHeldForWatchers() {
    return !heldDeliveries.isEmpty() && hub.count() > 0;
  }

  private void deliver(Applied applied) {
    if (holdingDeliveries) {
      heldDeliveries.add(applied);
    } else {
      hub.deliver(applied);
    }
  }

  /** The current etcd index. */
  public long index() {
    return tree.index;
  }

  /** How many keys (not directories, hidden ones included) the tree holds. */
  public long keyCount() {
    lock.readLock().lock();
    try {
      return tree.keys;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** GET: a key, or a directory with its visible children (all levels when recursive). */
  public Event get(String path, boolean recursive, boolean sorted) {
    return getUnlessLarger(path, recursive, sorted, Long.MAX_VALUE, 0);
  }

  /**
   * As {@link #get}, or null, counting nothing, when the answer would take more than about
   * limitBytes: its nodes' keys and values added up, each with overheadBytes for the rest of its
   * JSON. The estimate copies nothing and is given up at the limit, so it costs a large listing
   * no more than a small one; the caller gets a large answer with {@link #get} elsewhere (off a
   * connection's event loop). One lookup and one hold of the lock for an answer that is small.
   */
  public Event getUnlessLarger(String path, boolean recursive, boolean sorted, long limitBytes,
      int overheadBytes) {
    lock.readLock().lock();
    try {
      Tree t = tree;
      Node n = t.find(path, t.index);
      if (limitBytes < Long.MAX_VALUE
          && Views.answerExceeds(n, path, recursive, limitBytes, overheadBytes)) {
        return null;
      }
      Event e = new Event(Action.GET, Views.listing(n, path, recursive, sorted), null, t.index,
          false);
      stats.inc(Counter.GETS_SUCCESS);
      if (recursive) stats.inc(Counter.GETS_RECURSIVE);
      return e;
    } catch (EtcdException e) {
      stats.inc(Counter.GETS_FAIL);
      if (recursive) stats.inc(Counter.GETS_RECURSIVE);
      throw e;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** PUT without prevExist/prevValue/prevIndex (spec 5.1 "set"). */
  public Event set(String path, boolean dir, String value, long expirationNanos, boolean refresh) {
    return write(Counter.SETS_SUCCESS, Counter.SETS_FAIL,
        () -> Writes.set(tree, path, dir, value, expirationNanos, refresh));
  }

  /** PUT prevExist=false, or POST when unique (the name becomes the new index, 20 digits). */
  public Event create(String path, boolean dir, String value, boolean unique,
      long expirationNanos) {
    try {
      return write(Counter.CREATE_SUCCESS, Counter.CREATE_FAIL, () -> Writes.create(tree, path,
          dir, value, unique, false, expirationNanos, Action.CREATE, false));
    } catch (EtcdException e) {
      if (e.error() == EtcdError.NOT_DIR) {
        stats.inc(Counter.SETS_FAIL); // etcd's internalCreate counts its walk failure as a set
      }
      throw e;
    }
  }

  /** PUT prevExist=true without prevValue/prevIndex. */
  public Event update(String path, String value, long expirationNanos, boolean refresh) {
    return write(Counter.UPDATE_SUCCESS, Counter.UPDATE_FAIL,
        () -> Writes.update(tree, path, value, expirationNanos, refresh),
        e -> e == EtcdError.ROOT_READ_ONLY || e == EtcdError.NOT_FILE);
  }

  /** CAS: prevValue null = not given, prevIndex 0 = not given (else an unsigned 64-bit value). */
  public Event compareAndSwap(String path, String prevValue, long prevIndex, String value,
      long expirationNanos, boolean refresh) {
    return write(Counter.CAS_SUCCESS, Counter.CAS_FAIL, () -> Writes.compareAndSwap(tree, path,
        prevValue, prevIndex, value, expirationNanos, refresh),
        e -> e == EtcdError.ROOT_READ_ONLY);
  }

  public Event delete(String path, boolean dir, boolean recursive) {
    return write(Counter.DELETE_SUCCESS, Counter.DELETE_FAIL,
        () -> Writes.delete(tree, path, dir, recursive), e -> e == EtcdError.ROOT_READ_ONLY);
  }

  public Event compareAndDelete(String path, String prevValue, long prevIndex) {
    return write(Counter.CAD_SUCCESS, Counter.CAD_FAIL,
        () -> Writes.compareAndDelete(tree, path, prevValue, prevIndex),
        e -> e == EtcdError.NOT_FILE || e == EtcdError.TEST_FAILED);
  }

  /** Removes every node whose expiry is <= nowNanos, one expire event each, in deadline order. */
  public List<Event> expire(long nowNanos) {
    List<Applied> applied = new ArrayList<>();
    lock.writeLock().lock();
    try {
      Tree t = tree;
      for (Applied a = Writes.expireOne(t, nowNanos); a != null;
          a = Writes.expireOne(t, nowNanos)) {
        a.event().fixTtlClock(nowNanos);
        history.add(a.event());
        applied.add(a);
      }
    } finally {
      lock.writeLock().unlock();
    }
    stats.add(Counter.EXPIRE_COUNT, applied.size());
    List<Event> events = new ArrayList<>(applied.size());
    for (Applied a : applied) {
      deliver(a);
      events.add(a.event());
    }
    return events;
  }

  /** The earliest expiry of any node, or {@link NodeView#NEVER}: lets the leader skip SYNCs. */
  public long nextExpirationNanos() {
    lock.readLock().lock();
    try {
      return tree.expiries.nextDeadlineNanos();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Registers a watch (spec 6). sinceIndex 0 = events after now; else an unsigned 64-bit value,
   * one of 2^63 or more (a negative long) an index this key space never reaches.
   *
   * @throws EtcdException 401 when sinceIndex is older than the history
   */
  public Watch watch(String path, boolean recursive, boolean stream, long sinceIndex,
      WatchSink sink) {
    stats.inc(Counter.WATCH_REQUESTS);
    lock.readLock().lock();
    try {
      long current = tree.index;
      long since = sinceIndex == 0 ? current + 1 : sinceIndex < 0 ? Long.MAX_VALUE : sinceIndex;
      Event past = history.scan(path, recursive, since, current);
      if (past != null) {
        return new AnsweredWatch(past, current);
      }
      return hub.register(path, recursive, stream, since, current, sink);
    } finally {
      lock.readLock().unlock();
    }
  }

  public StoreStats stats() {
    return stats.snapshot(hub.count());
  }

  /** Of the GETs {@link #stats} counts, those that were recursive. */
  public long recursiveGets() {
    return stats.get(Counter.GETS_RECURSIVE);
  }

  /** Watches asked for (new or re-armed), whether answered from history or parked. */
  public long watchRequests() {
    return stats.get(Counter.WATCH_REQUESTS);
  }

  /**
   * Writes the whole key space, index and event history compactly (a Raft snapshot's data),
   * streaming, and flushes out. Holds the read lock throughout, so writes wait for it: call it
   * from the apply thread between entries.
   */
  public void writeSnapshot(OutputStream out) throws IOException {
    writeSnapshot(out, false);
  }

  /**
   * As {@link #writeSnapshot(OutputStream)}, for a stream this snapshot ends (a Raft snapshot's
   * data): in the layout that builds from before the counters were kept in snapshots read too (a
   * member of one may be sent it in a rolling upgrade, or started on this data dir), the counters
   * after it. Read it back with {@link #restoreSnapshotAtEnd}.
   */
  public void writeSnapshotAtEnd(OutputStream out) throws IOException {
    writeSnapshot(out, true);
  }

  private void writeSnapshot(OutputStream out, boolean atEnd) throws IOException {
    lock.readLock().lock();
    try {
      DataOutputStream data = new DataOutputStream(new UnsyncBufferedOutput(out, 1 << 16));
      if (atEnd) {
        SnapshotCodec.writeAtEnd(tree, history.events(), history.clearedThrough(),
            stats.persisted(), data);
      } else {
        SnapshotCodec.write(tree, history.events(), history.clearedThrough(), stats.persisted(),
            data);
      }
      data.flush();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Replaces this key space's content with a snapshot; registered watchers are kept. Reads
   * exactly the snapshot's bytes (no read-ahead), so other data may follow it in the stream;
   * pass a buffered or in-memory stream, it is read in small pieces. The new content is built
   * aside and swapped in at once: a corrupt snapshot throws and changes nothing.
   *
   * <p>A member that installs a leader's snapshot skips the entries it covers, so their events
   * were never delivered here: the snapshot's history events past this key space's old index are
   * handed to the registered watchers, in order, as if applied. etcd keeps its watchers across
   * such a restore without that, so a confd parked on a member that was cut off long enough to
   * be sent a snapshot waits on, for a change it already missed, until the next one. Events past
   * the old index that the history no longer holds stay unseen here as there; and a directory's
   * removal read back from the history does not reach the watchers of what was below it (the
   * removed subtree is not in the history).
   */
  public void restoreSnapshot(InputStream in) throws IOException {
    restoreSnapshot(in, false);
  }

  /**
   * As {@link #restoreSnapshot(InputStream)}, for a stream that holds nothing after the
   * snapshot, as {@link #writeSnapshotAtEnd} writes it (or any snapshot of this class's): it may
   * be read to its end.
   */
  public void restoreSnapshotAtEnd(InputStream in) throws IOException {
    restoreSnapshot(in, true);
  }

  private void restoreSnapshot(InputStream in, boolean atEnd) throws IOException {
    EventHistory restored = new EventHistory(history.capacity());
    long[][] counters = new long[1][];
    Tree t = SnapshotCodec.read(
        in instanceof DataInputStream data ? data : new DataInputStream(in), restored,
        c -> counters[0] = c, atEnd);
    List<Event> skipped = new ArrayList<>();
    lock.writeLock().lock();
    try {
      long before = tree.index;
      tree = t;
      // As etcd's, whose snapshot holds its store's Stats: a restart goes on from the counts
      // at the snapshot, a member catching up by the leader's snapshot takes the leader's.
      if (counters[0] != null) stats.restorePersisted(counters[0]);
      history.clear();
      history.clearedThrough(restored.clearedThrough());
      for (Event e : restored.events()) {
        history.add(e);
        if (e.index() > before) skipped.add(e);
      }
    } finally {
      lock.writeLock().unlock();
    }
    for (Event e : skipped) {
      deliver(new Applied(e, null));
    }
  }

  /**
   * Replaces the content with another store's nodes, their indexes kept, and sets the etcd
   * index to {@code index} (that store's X-Etcd-Index when it was read). The history is empty
   * and a watch for an index at or before {@code index} is answered 401, as for history that
   * was cleared: a client that was behind on the old store reads again rather than silently
   * missing what happened there. Nodes come parents first (the listing's pre-order); a missing
   * parent is made with its child's indexes.
   *
   * @throws IllegalArgumentException a path that runs through a key, or a node listed twice
   */
  public void importNodes(Iterable<ImportedNode> nodes, long index) {
    Tree t = new Tree();
    long seq = 0;
    // Directories made for a child before they were listed themselves (a hidden key read from a
    // source of its own, before the listing of its parent): the listing then says what they are.
    java.util.Set<Node> implied = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    for (ImportedNode in : nodes) {
      String path = in.path();
      int slash = path.lastIndexOf('/');
      if (!path.startsWith("/") || slash == path.length() - 1) {
        throw new IllegalArgumentException("not a key: " + path);
      }
      DirNode parent = impliedDir(t, path.substring(0, slash), in.createdIndex(), implied);
      String name = path.substring(slash + 1);
      Node n = parent.child(name);
      if (n != null && !(in.dir() && implied.remove(n))) {
        throw new IllegalArgumentException("listed twice: " + path);
      }
      if (n == null) {
        n = in.dir() ? new DirNode(name, in.createdIndex())
            : new KeyNode(name, in.createdIndex(), in.value());
        parent.add(n);
        if (!in.dir()) t.keys++;
      }
      n.createdIndex = in.createdIndex();
      n.modifiedIndex = in.modifiedIndex();
      if (in.expirationNanos() != NodeView.NEVER) {
        t.expiries.restore(n, new Expiry(in.expirationNanos(), ++seq, n));
      }
    }
    t.index = index;
    lock.writeLock().lock();
    try {
      tree = t;
      history.clear();
      history.clearedThrough(index);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The directory at dirPath, making the missing ones (remembered in implied) on the way. */
  private static DirNode impliedDir(Tree t, String dirPath, long index, java.util.Set<Node> implied) {
    DirNode d = t.root;
    int start = 1;
    while (start < dirPath.length()) {
      int end = dirPath.indexOf('/', start);
      if (end < 0) end = dirPath.length();
      Node child = d.child(dirPath.substring(start, end));
      if (child == null) {
        DirNode made = new DirNode(dirPath.substring(start, end), index);
        d.add(made);
        implied.add(made);
        child = made;
      } else if (!(child instanceof DirNode)) {
        throw new IllegalArgumentException("runs through a key: " + dirPath);
      }
      d = (DirNode) child;
      start = end + 1;
    }
    return d;
  }

  private Event write(Counter success, Counter fail, Supplier<Applied> op) {
    return write(success, fail, op, e -> false);
  }

  /**
   * As {@link #write(Counter, Counter, Supplier)}, but the refusals {@code countedAsSuccess}
   * names count as successes, as in etcd's store: there a deferred function counts a failure only
   * when the method's {@code err} variable is set, and some refusals return a new error without
   * setting it (compareAndDelete's compare failure and "not a file", the root refused by update,
   * compareAndSwap and delete, update's "not a file"). /v2/stats/store shows them so.
   */
  private Event write(Counter success, Counter fail, Supplier<Applied> op,
      Predicate<EtcdError> countedAsSuccess) {
    Applied applied;
    lock.writeLock().lock();
    try {
      applied = op.get();
      if (eventClockNanos != 0) {
        applied.event().fixTtlClock(eventClockNanos);
      }
      history.add(applied.event());
    } catch (EtcdException e) {
      stats.inc(countedAsSuccess.test(e.error()) ? success : fail);
      throw e;
    } finally {
      lock.writeLock().unlock();
    }
    stats.inc(success);
    deliver(applied);
    return applied.event();
  }
}
