package io.v2store.storage.store;

import java.util.List;

/**
 * An immutable picture of a node as a response shows it (spec 3.1). The TTL seconds are not
 * stored: they depend on the reader's clock and are computed when the JSON is written.
 *
 * @param key full path; null for the root
 * @param value the value of a key; null for a directory, and for the node of a delete,
 *     compareAndDelete or expire event
 * @param dir whether the node is a directory
 * @param expirationNanos absolute expiry (unix epoch nanoseconds), or {@link #NEVER}
 * @param nodes children to render, or null when not expanded (then no "nodes" field is written)
 * @param modifiedIndex 0 only for the root
 * @param createdIndex 0 only for the root
 */
public record NodeView(
    String key,
    String value,
    boolean dir,
    long expirationNanos,
    List<NodeView> nodes,
    long modifiedIndex,
    long createdIndex) {

  /** expirationNanos of a node without a TTL. */
  public static final long NEVER = Long.MAX_VALUE;

  public boolean hasExpiration() {
    return expirationNanos != NEVER;
  }
}
