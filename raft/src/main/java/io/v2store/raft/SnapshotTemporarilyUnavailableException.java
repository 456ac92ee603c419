package io.v2store.raft;

/** A typed outcome of a {@link LogStorage} read: no snapshot can be produced right now. */
public final class SnapshotTemporarilyUnavailableException extends RuntimeException {
  public SnapshotTemporarilyUnavailableException(String detail) {
    super(detail, null, false, false);
  }
}
