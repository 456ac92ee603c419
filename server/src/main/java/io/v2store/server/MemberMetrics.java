package io.v2store.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.v2store.raft.Role;
import io.v2store.raft.driver.DriverListener;
import io.v2store.storage.store.KeySpace;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Turns what the Raft driver reports into Prometheus metrics and log lines. Lives beside the core,
 * so the raft module stays free of micrometer.
 */
final class MemberMetrics implements DriverListener {
  private static final Logger LOG = Logger.getLogger("etcd");
  /** etcd's warnApplyDuration. */
  private static final long SLOW_APPLY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** etcd's warnSyncDuration: a WAL sync that took longer is logged. */
  private static final long SLOW_SYNC_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String memberName;
  private final Timer fsync;
  private final Timer apply;
  private final Counter committed;
  private final Counter applied;
  private final Counter proposalsFailed;
  private final Counter leaderChanges;
  private final Timer snapshots;
  private final Counter slowApplies;
  private final Counter heartbeatSendFailures;
  private final Counter logBytes;
  private final Timer snapshotSyncs;
  private final Counter readIndexesFailed;
  private final Counter slowReadIndexes;
  private volatile boolean installingSnapshot;
  private final LeaderTracker leader;
  private final Consumer<Throwable> onFatal;
  private volatile boolean isLeader;
  private volatile boolean hasLeader;
  /* The raft thread's: the leader the last call reported, 0 for none. */
  private long lastLeaderId;

  MemberMetrics(String memberName, MeterRegistry registry, KeySpace keySpace,
      Pending<?> pending, LeaderTracker leader, Consumer<Throwable> onFatal) {
    this.memberName = memberName;
    this.leader = leader;
    this.onFatal = onFatal;
    // a histogram with etcd's buckets (1 ms doubling to 8.192 s), which its fsync alerts read
    this.fsync = Timer.builder("etcd_disk_wal_fsync_duration")
        .description("The latency distributions of fsync called by WAL (here: one synced log "
            + "write, one group commit).")
        .serviceLevelObjectives(etcdBuckets(1_000_000L, 14)).register(registry);
    this.apply = Timer.builder("etcd_server_apply_duration")
        .description("Time to apply one batch of committed entries").register(registry);
    this.committed = Counter.builder("etcd_server_proposals_committed")
        .description("Entries applied by this member").register(registry);
    this.applied = Counter.builder("etcd_server_proposals_applied")
        .description("Entries applied by this member").register(registry);
    this.proposalsFailed = Counter.builder("etcd_server_proposals_failed")
        .description("Proposals dropped by Raft (no leader)").register(registry);
    this.leaderChanges = Counter.builder("etcd_server_leader_changes_seen")
        .description("Leader changes seen by this member").register(registry);
    // etcd's buckets (1 ms doubling to 8.192 s), as for the fsyncs
    this.snapshots = Timer.builder("etcd_debugging_snap_save_total_duration")
        .description("The total latency distributions of save called by snapshot (here: "
            + "serialising and writing the key space).")
        .serviceLevelObjectives(etcdBuckets(1_000_000L, 14)).register(registry);
    this.slowApplies = Counter.builder("etcd_server_slow_apply")
        .description("The total number of slow apply requests (likely overloaded from slow "
            + "disk); here: applies of a batch of committed entries that took over 100 ms.")
        .register(registry);
    this.heartbeatSendFailures = Counter.builder("etcd_server_heartbeat_send_failures")
        .description("The total number of leader heartbeat send failures (likely overloaded "
            + "from slow disk); here: heartbeats sent over twice the interval after the last.")
        .register(registry);
    this.logBytes = Counter.builder("etcd_disk_wal_write_bytes")
        .description("Total number of bytes written in WAL (here: entries and hard states given "
            + "to the Raft log, encoded).").register(registry);
    this.snapshotSyncs = Timer.builder("etcd_snap_fsync_duration")
        .description("The latency distributions of fsync called by snap.")
        .serviceLevelObjectives(etcdBuckets(1_000_000L, 14)).register(registry);
    this.readIndexesFailed = Counter.builder("etcd_server_read_indexes_failed")
        .description("The total number of failed read indexes processed (here: rounds of "
            + "quorum reads whose leader changed before confirming them).").register(registry);
    this.slowReadIndexes = Counter.builder("etcd_server_slow_read_indexes")
        .description("The total number of pending read indexes not in sync with leader's or "
            + "timed out read index requests.").register(registry);
    // learners join through etcd's v3 API only; none here
    Gauge.builder("etcd_server_is_learner", () -> 0)
        .description("Whether or not this member is a learner. 1 if is, 0 otherwise.")
        .register(registry);
    Gauge.builder("etcd_server_is_leader", () -> isLeader ? 1 : 0)
        .description("Whether or not this member is a leader. 1 if is, 0 otherwise.")
        .register(registry);
    Gauge.builder("etcd_server_has_leader", () -> hasLeader ? 1 : 0)
        .description("Whether or not a leader exists. 1 is existence, 0 is not.")
        .register(registry);
    Gauge.builder("etcd_server_proposals_pending", pending::size).register(registry);
    Gauge.builder("etcd_debugging_store_watchers", () -> keySpace.stats().watchers())
        .register(registry);
    Gauge.builder("etcd_debugging_store_index", keySpace::index).register(registry);
    Gauge.builder("etcd_debugging_store_keys", keySpace::keyCount)
        .description("Keys in the store").register(registry);
  }

  @Override
  public void onFsync(long nanos, int entries) {
    fsync.record(nanos, TimeUnit.NANOSECONDS);
    if (nanos > SLOW_SYNC_NANOS) {
      // As etcd's WAL logs each slow sync (3.4: "sync duration of ..., expected less than 1s";
      // zap: "slow fdatasync"): on a follower, a failing disk shows nowhere else in its log.
      LOG.warning(() -> memberName + ": slow fdatasync: sync duration of "
          + java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString()
          + "s, expected less than 1s");
    }
  }

  @Override
  public void onLogSave(long bytes) {
    logBytes.increment(bytes);
  }

  @Override
  public void onSnapshotSynced(long index, long nanos) {
    snapshotSyncs.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onApply(long nanos, int entries) {
    apply.record(nanos, TimeUnit.NANOSECONDS);
    if (nanos > SLOW_APPLY_NANOS) slowApplies.increment();
    committed.increment(entries);
    applied.increment(entries);
  }

  @Override
  public void onLeaderChange(long leaderId, Role role, long term) {
    leader.leaderIs(leaderId, term, System.currentTimeMillis());
    isLeader = role == Role.LEADER;
    hasLeader = leaderId != 0;
    // etcd counts a leader it had not had just before, not each change of role or term, nor
    // the moments without one: an election that ends where it began counts once
    if (leaderId != 0 && leaderId != lastLeaderId) leaderChanges.increment();
    lastLeaderId = leaderId;
    LOG.info(() -> memberName + ": " + (leaderId == 0 ? "no leader"
        : "leader is " + Long.toHexString(leaderId)) + " at term " + term + ", we are " + role);
  }

  @Override
  public void onHeartbeatLate(long peer, long lateNanos) {
    heartbeatSendFailures.increment();
    LOG.warning(() -> memberName + ": leader failed to send out heartbeat on time; took too "
        + "long, leader is overloaded likely from slow disk (to " + Long.toHexString(peer)
        + ", exceeded by " + TimeUnit.NANOSECONDS.toMillis(lateNanos) + " ms)");
  }

  @Override
  public void onReadIndexFailed() {
    readIndexesFailed.increment();
  }

  @Override
  public void onReadIndexSlow() {
    slowReadIndexes.increment();
  }

  @Override
  public void onSnapshotInstalling(boolean installing) {
    installingSnapshot = installing;
  }

  /** 1 while a leader's snapshot is being installed, else 0 (etcd's gauge, see EtcdMember). */
  int snapshotsInstalling() {
    return installingSnapshot ? 1 : 0;
  }

  @Override
  public void onProposalDropped() {
    proposalsFailed.increment();
  }

  @Override
  public void onSnapshot(long index, long nanos, long bytes) {
    snapshots.record(nanos, TimeUnit.NANOSECONDS);
    // Written, not yet durable: its fsync and record follow on other threads (RaftDriver).
    LOG.info(() -> memberName + ": wrote snapshot at index " + index + " (" + bytes + " bytes)");
  }

  /** Prometheus's ExponentialBuckets(start, 2, count), as etcd declares its histograms. */
  static Duration[] etcdBuckets(long startNanos, int count) {
    Duration[] b = new Duration[count];
    for (int i = 0; i < count; i++) b[i] = Duration.ofNanos(startNanos << i);
    return b;
  }

  @Override
  public void onFatal(Throwable cause) {
    onFatal.accept(cause);
  }
}
