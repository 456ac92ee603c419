package io.v2store.storage.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

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
 */
public final class KeySpace {

  /** etcd's default event history length. */
  public static final int DEFAULT_HISTORY = 1000;

  public KeySpace(int historyCapacity) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** The current etcd index. */
  public long index() {
    throw new UnsupportedOperationException();
  }

  /** GET: a key, or a directory with its visible children (all levels when recursive). */
  public Event get(String path, boolean recursive, boolean sorted) {
    throw new UnsupportedOperationException();
  }

  /** PUT without prevExist/prevValue/prevIndex (spec 5.1 "set"). */
  public Event set(String path, boolean dir, String value, long expirationNanos, boolean refresh) {
    throw new UnsupportedOperationException();
  }

  /** PUT prevExist=false, or POST when unique (the name becomes the new index, 20 digits). */
  public Event create(String path, boolean dir, String value, boolean unique,
      long expirationNanos) {
    throw new UnsupportedOperationException();
  }

  /** PUT prevExist=true without prevValue/prevIndex. */
  public Event update(String path, String value, long expirationNanos, boolean refresh) {
    throw new UnsupportedOperationException();
  }

  /** CAS: prevValue null = not given, prevIndex 0 = not given. */
  public Event compareAndSwap(String path, String prevValue, long prevIndex, String value,
      long expirationNanos, boolean refresh) {
    throw new UnsupportedOperationException();
  }

  public Event delete(String path, boolean dir, boolean recursive) {
    throw new UnsupportedOperationException();
  }

  public Event compareAndDelete(String path, String prevValue, long prevIndex) {
    throw new UnsupportedOperationException();
  }

  /** Removes every node whose expiry is <= nowNanos, one expire event each, in deadline order. */
  public List<Event> expire(long nowNanos) {
    throw new UnsupportedOperationException();
  }

  /** The earliest expiry of any node, or {@link NodeView#NEVER}: lets the leader skip SYNCs. */
  public long nextExpirationNanos() {
    throw new UnsupportedOperationException();
  }

  /**
   * Registers a watch (spec 6). sinceIndex 0 = events after now.
   *
   * @throws EtcdException 401 when sinceIndex is older than the history
   */
  public Watch watch(String path, boolean recursive, boolean stream, long sinceIndex,
      WatchSink sink) {
    throw new UnsupportedOperationException();
  }

  public StoreStats stats() {
    throw new UnsupportedOperationException();
  }

  /** Writes the whole key space, index and event history compactly (a Raft snapshot's data). */
  public void writeSnapshot(OutputStream out) throws IOException {
    throw new UnsupportedOperationException();
  }

  /** Replaces this key space's content with a snapshot; registered watchers are kept. */
  public void restoreSnapshot(InputStream in) throws IOException {
    throw new UnsupportedOperationException();
  }
}
