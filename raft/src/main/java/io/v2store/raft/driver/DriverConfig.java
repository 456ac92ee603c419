package io.v2store.raft.driver;

/**
 * @param tickMillis length of one Raft tick (etcd: the heartbeat interval)
 * @param snapshotCount applied entries between two snapshots
 * @param catchUpEntries entries kept in the log after a snapshot so that a slightly lagging
 *     follower can catch up without a snapshot transfer (etcd keeps 5000)
 * @param maxApplyBacklog committed batches queued for the apply thread before the driver waits
 * @param snapshotsScaleWithState whether a snapshot also waits until the entries applied since
 *     the last one add up to that snapshot's size (see ApplyLoop); false: every snapshotCount
 *     entries, as etcd
 */
public record DriverConfig(long tickMillis, long snapshotCount, long catchUpEntries,
    int maxApplyBacklog, boolean snapshotsScaleWithState) {

  /** Snapshots every snapshotCount entries, as etcd takes them. */
  public DriverConfig(long tickMillis, long snapshotCount, long catchUpEntries,
      int maxApplyBacklog) {
    this(tickMillis, snapshotCount, catchUpEntries, maxApplyBacklog, false);
  }

  public DriverConfig {
    if (tickMillis <= 0) throw new IllegalArgumentException("tickMillis must be > 0");
    if (snapshotCount <= 0) throw new IllegalArgumentException("snapshotCount must be > 0");
    if (catchUpEntries < 0) throw new IllegalArgumentException("catchUpEntries must be >= 0");
    if (maxApplyBacklog <= 0) throw new IllegalArgumentException("maxApplyBacklog must be > 0");
  }
}
