package io.v2store.raft;

/** A typed outcome of a {@link LogStorage} read: the requested index is compacted into a snapshot. */
public final class LogCompactedException extends RuntimeException {
  public LogCompactedException(String detail) {
    super(detail, null, false, false);
  }
}
