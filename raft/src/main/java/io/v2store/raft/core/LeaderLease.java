package io.v2store.raft.core;

import io.v2store.raft.Role;

/**
 * The leader lease behind lease reads (Raft thesis 6.4.1), counted in ticks: the core has no
 * clock, and the driver keeps its tick count in step with real time.
 *
 * <p>Why a leader may answer a read from its commit index without a heartbeat round while the
 * lease holds. Every heartbeat carries the tick at which the leader sent it, and the answer
 * echoes it. A follower that receives a heartbeat resets its election timer and, with
 * check-quorum, ignores (pre-)vote requests for electionTicks ticks after that ({@code inLease}
 * in RaftCore): at least electionTicks - 1 tick lengths of real time after the leader sent it.
 * So once a quorum has answered heartbeats sent at tick s or later, no other leader can be
 * elected before the leader's tick s + electionTicks - 1, and any read at a tick before that has
 * the newest commit. One more tick is kept back for clock drift between members.
 *
 * <p>What would break that, and what is done about each:
 * <ul>
 *   <li>a leadership transfer: the transferee campaigns with force and voters ignore their
 *       lease, so sending MSG_TIMEOUT_NOW revokes the lease for the rest of the term;
 *   <li>a follower that restarts forgets when it last heard from the leader: a member that
 *       restarts with a persisted term refuses votes for its first electionTicks ticks
 *       ({@link #inStartupLease()}); and heartbeat answers leave only after the follower's term
 *       is durable (Outbox), so a member that answered one always restarts with a term;
 *   <li>a driver whose ticks fall behind real time (a long pause) would stretch the lease: the
 *       driver ticks from a monotonic clock before it steps reads, and suspends the lease while
 *       it catches up after a stall (RaftDriver, RealTimeTicks).
 * </ul>
 */
final class LeaderLease {
  /** Ticks kept back from the lease for clock drift between members. */
  static final int DRIFT_MARGIN_TICKS = 1;

  private final RaftCore r;
  private final boolean restarted;
  /** Ticks since this core was created, from 1 so that 0 means "never acknowledged". */
  private long now = 1;
  private boolean revoked;
  private boolean suspended;

  LeaderLease(RaftCore r, boolean restarted) {
    this.r = r;
    this.restarted = restarted;
  }

  void tick() {
    now++;
  }

  /** The stamp for a heartbeat sent now. */
  long stamp() {
    return now;
  }

  void onHeartbeatAck(Progress pr, long stamp) {
    if (stamp <= now && stamp > pr.leaseAckTick) pr.leaseAckTick = stamp;
  }

  /** A transfer is under way: the transferee's forced campaign ignores every lease. */
  void revoke() {
    revoked = true;
  }

  void suspend(boolean on) {
    suspended = on;
  }

  /** Called on becoming leader: a new term, a new lease to earn. */
  void reset() {
    revoked = false;
  }

  /** Whether this leader may answer a read from its commit index now. */
  boolean holds() {
    return ticksLeft() > 0;
  }

  /**
   * For how many more ticks the lease holds (0: it does not): it holds while the core's tick count
   * stays below now + ticksLeft. Also 0 until this leader has committed an entry of its term, as
   * its commit index may be behind its predecessor's until then.
   */
  long ticksLeft() {
    if (!r.config.leaseReads() || revoked || suspended || r.role != Role.LEADER
        || r.leadTransferee != RaftCore.NONE || !r.committedEntryInCurrentTerm()) {
      return 0;
    }
    long[] acks = new long[r.tracker.voters.size()];
    int i = 0;
    for (long voter : r.tracker.voters) {
      acks[i++] = voter == r.id ? now : r.tracker.get(voter).leaseAckTick;
    }
    long from = Quorum.committedIndex(acks); // the newest send tick a majority has answered
    if (from <= 0) return 0;
    return Math.max(0, from + r.config.electionTicks() - 1 - DRIFT_MARGIN_TICKS - now);
  }

  /** A restarted member may have answered a heartbeat just before it went down. */
  boolean inStartupLease() {
    return r.config.leaseReads() && restarted && now - 1 < r.config.electionTicks();
  }
}
