package io.v2store.raft.driver;

import java.util.HashMap;
import java.util.Map;

/**
 * etcd's check that a leader keeps its heartbeats' pace: a heartbeat to a follower sent more than
 * twice the heartbeat interval after the previous one to that follower is late, the mark of a
 * leader held up (by a slow disk, by a stalled process) long enough for followers to start
 * doubting it. etcd counts these (etcd_server_heartbeat_send_failures_total) and logs "leader
 * failed to send out heartbeat on time". Times are given, so it runs without a clock. Used by
 * whoever holds the core, which sends its messages.
 */
final class LateHeartbeats {
  private final long maxGapNanos;
  private final Map<Long, Long> lastSentNanos = new HashMap<>();

  LateHeartbeats(long heartbeatIntervalNanos) {
    this.maxGapNanos = 2 * heartbeatIntervalNanos;
  }

  /** A heartbeat to peer goes out now; returns by how much it is late, or 0. */
  long sent(long peer, long nowNanos) {
    Long last = lastSentNanos.put(peer, nowNanos);
    if (last == null) return 0;
    long gap = nowNanos - last;
    return gap > maxGapNanos ? gap - maxGapNanos : 0;
  }

  /** A new term of leadership starts the pace anew (etcd resets its detector likewise). */
  void reset() {
    lastSentNanos.clear();
  }
}
