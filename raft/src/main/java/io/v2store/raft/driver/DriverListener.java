package io.v2store.raft.driver;

import io.v2store.raft.Role;

/**
 * What the driver reports as it works, for metrics and logs. Kept as an interface so the raft
 * module stays free of any metrics library. Called from the driver's threads: must not block.
 */
public interface DriverListener {

  default void onFsync(long nanos, int entries) {}

  /** The log is given bytes to save (entries and hard state, encoded), synced or not. */
  default void onLogSave(long bytes) {}

  default void onApply(long nanos, int entries) {}

  default void onLeaderChange(long leaderId, Role role, long term) {}

  default void onProposalDropped() {}

  default void onSnapshot(long index, long nanos, long bytes) {}

  /** The snapshot written at index was synced to disk, in nanos (on a thread of its own). */
  default void onSnapshotSynced(long index, long nanos) {}

  /**
   * As leader, a heartbeat to peer went out lateNanos later than twice the heartbeat interval
   * after the previous one (see LateHeartbeats).
   */
  default void onHeartbeatLate(long peer, long lateNanos) {}

  /**
   * A linearizable read round could not be confirmed: leadership changed while it was out (etcd's
   * etcd_server_read_indexes_failed_total).
   */
  default void onReadIndexFailed() {}

  /**
   * A linearizable read round answered late: its answer came after the reads had been given up
   * on, or it went unanswered long enough for another to be sent beside it (etcd's
   * etcd_server_slow_read_indexes_total).
   */
  default void onReadIndexSlow() {}

  /** A snapshot received from the leader is being installed (true), or is installed (false). */
  default void onSnapshotInstalling(boolean installing) {}

  /** The member can no longer work correctly (apply or persist failed); the owner should exit. */
  default void onFatal(Throwable cause) {}

  DriverListener NONE = new DriverListener() {};
}
