package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.v2store.raft.Role;
import io.v2store.storage.store.KeySpace;
import org.junit.jupiter.api.Test;

/** What this member's raft reports, counted as etcd counts it. */
class MemberMetricsTest {
  @Test
  void aLeaderChangeIsANewLeaderNotEachChangeOfRoleOrTerm() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MemberMetrics m = new MemberMetrics("a", registry, new KeySpace(10), new Pending<>(),
        new LeaderTracker(0), e -> {});
    // a follower's start: pre-candidate, follower without a leader, then the leader
    m.onLeaderChange(0, Role.PRE_CANDIDATE, 0);
    m.onLeaderChange(0, Role.FOLLOWER, 1);
    m.onLeaderChange(7, Role.FOLLOWER, 1);
    assertEquals(1.0, count(registry));
    // an election that ends with the same leader counts again (etcd: none, then a leader)
    m.onLeaderChange(0, Role.CANDIDATE, 2);
    m.onLeaderChange(7, Role.FOLLOWER, 3);
    assertEquals(2.0, count(registry));
    m.onLeaderChange(9, Role.FOLLOWER, 4);
    m.onLeaderChange(9, Role.FOLLOWER, 5); // a new term, the same leader: nothing new seen
    assertEquals(3.0, count(registry));
  }

  @Test
  void aBatchAppliedInOver100MillisecondsIsASlowApply() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MemberMetrics m = new MemberMetrics("a", registry, new KeySpace(10), new Pending<>(),
        new LeaderTracker(0), e -> {});
    m.onApply(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100), 5); // etcd's bound: not over it
    m.onApply(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(101), 5);
    m.onApply(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(3), 1);
    assertEquals(1.0, registry.get("etcd_server_slow_apply").counter().count());
  }

  @Test
  void readIndexRoundsAndSnapshotInstallsAreExportedUnderEtcdsNames() {
    EtcdMeterRegistry registry = new EtcdMeterRegistry();
    MemberMetrics m = new MemberMetrics("a", registry, new KeySpace(10), new Pending<>(),
        new LeaderTracker(0), e -> {});
    registry.gaugeNamedAsIs("etcd_server_snapshot_apply_in_progress_total", "help",
        m::snapshotsInstalling);
    m.onReadIndexFailed();
    m.onReadIndexSlow();
    m.onReadIndexSlow();
    m.onSnapshotInstalling(true);
    String during = registry.scrape();
    assertEquals(1.0, MetricsText.value(during, "etcd_server_read_indexes_failed_total"));
    assertEquals(2.0, MetricsText.value(during, "etcd_server_slow_read_indexes_total"));
    assertEquals(1.0, MetricsText.value(during, "etcd_server_snapshot_apply_in_progress_total"));
    m.onSnapshotInstalling(false);
    assertEquals(0.0, MetricsText.value(registry.scrape(),
        "etcd_server_snapshot_apply_in_progress_total"));
  }

  @Test
  void aLogSyncOverASecondIsLoggedAsEtcdsWalLogsIt() {
    java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          warnings.add(record.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger etcd = java.util.logging.Logger.getLogger("etcd");
    etcd.addHandler(capture);
    try {
      MemberMetrics m = new MemberMetrics("a", new SimpleMeterRegistry(), new KeySpace(10),
          new Pending<>(), new LeaderTracker(0), e -> {});
      m.onFsync(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1_000), 3); // not over 1 s
      m.onFsync(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2), 3);
      assertEquals(java.util.List.of(), warnings);
      m.onFsync(1_500_629_391L, 3);
      // etcd 3.4: "wal: sync duration of 1.500629391s, expected less than 1s" (zap: "slow
      // fdatasync"), which is what an operator watching for a failing disk greps for
      assertEquals(java.util.List.of(
          "a: slow fdatasync: sync duration of 1.500629391s, expected less than 1s"), warnings);
    } finally {
      etcd.removeHandler(capture);
    }
  }

  private static double count(SimpleMeterRegistry registry) {
    return registry.get("etcd_server_leader_changes_seen").counter().count();
  }
}
