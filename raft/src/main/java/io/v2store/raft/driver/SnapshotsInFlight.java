package io.v2store.raft.driver;

import java.util.concurrent.TimeUnit;

/**
 * etcd's pause of log compaction while this member's snapshots are on their way to followers,
 * and for a while after each is sent: a follower that installed one catches up from the entries
 * right after it. Compacted meanwhile (a snapshot that takes long to cross a slow link while
 * writes go on), they are gone, and the follower is sent a newer snapshot; on a link slow enough
 * one after the other, and it never catches up. The log grows meanwhile, as etcd's does.
 * Thread-safe: sends are counted by the holder of the core, the transport reports on its own
 * threads (not through the inbox, which may drop a task: a lost report would hold compaction for
 * good). Times are given, so it runs without a clock.
 */
final class SnapshotsInFlight {
  /** etcd's releaseDelayAfterSnapshot: the follower still has to install it and answer. */
  static final long RELEASE_DELAY_NANOS = TimeUnit.SECONDS.toNanos(30);

  private int inFlight;
  private boolean anySent;
  private long lastDoneNanos;

  /** A snapshot is handed to the transport, which reports it once, sent or lost. */
  synchronized void sent() {
    inFlight++;
  }

  /**
   * The transport's report of one. A lost one holds nothing after it: no follower catches up from
   * it, and one that keeps refusing snapshots (its disk full) must not stop the leader's log from
   * ever being compacted again (etcd's delay follows either).
   */
  synchronized void done(boolean failed, long nowNanos) {
    if (inFlight == 0) return; // not one of ours
    inFlight--;
    if (failed) return;
    anySent = true;
    lastDoneNanos = nowNanos;
  }

  synchronized boolean holdCompaction(long nowNanos) {
    return inFlight > 0 || (anySent && nowNanos - lastDoneNanos < RELEASE_DELAY_NANOS);
  }
}
