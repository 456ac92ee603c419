package io.v2store.raft;

/**
 * A snapshot to record is older than the log's latest (etcd's ErrSnapOutOfDate). Not a broken
 * invariant: the leader's snapshot can be installed while the apply thread is still writing an
 * older one of its own, and the driver drops the older one.
 */
public final class SnapshotOutOfDateException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SnapshotOutOfDateException(long index, long latest) {
    super("snapshot at " + index + " is out of date; latest is " + latest);
  }
}
