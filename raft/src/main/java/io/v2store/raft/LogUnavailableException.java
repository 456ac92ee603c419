package io.v2store.raft;

/** A typed outcome of a {@link LogStorage} read: the requested index is beyond the last entry. */
public final class LogUnavailableException extends RuntimeException {
  public LogUnavailableException(String detail) {
    super(detail, null, false, false);
  }
}
