package io.v2store.raft;

/**
 * Parameters of one Raft core. Time is counted in ticks; the driver decides how long a tick is.
 *
 * @param id this member's id (non-zero)
 * @param electionTicks a follower that hears nothing for a randomized [electionTicks,
 *     2*electionTicks) ticks campaigns
 * @param heartbeatTicks the leader sends heartbeats every heartbeatTicks ticks
 * @param preVote run a pre-vote round first so a rejoining member cannot disrupt a stable leader
 * @param checkQuorum a leader that has not heard from a quorum within an election timeout steps
 *     down; this also makes the leader lease used by ReadIndex safe
 * @param maxSizePerMsgBytes upper bound on the entry bytes in one AppendEntries
 * @param maxInflightMsgs how many AppendEntries may be unacknowledged per follower (pipelining)
 * @param maxInflightBytes bound on unacknowledged entry bytes per follower (flow control)
 * @param appliedIndex the index the state machine had applied at restart (from its snapshot)
 * @param randomSeed seed for the election-timeout randomization, so simulations replay exactly
 * @param leaseReads with checkQuorum, a leader whose lease holds answers ReadIndex at once instead
 *     of confirming its leadership with a heartbeat round (see LeaderLease for why that is safe)
 */
public record RaftConfig(
    long id,
    int electionTicks,
    int heartbeatTicks,
    boolean preVote,
    boolean checkQuorum,
    long maxSizePerMsgBytes,
    int maxInflightMsgs,
    long maxInflightBytes,
    long appliedIndex,
    long randomSeed,
    boolean leaseReads) {

  public RaftConfig {
    if (id == 0) throw new IllegalArgumentException("raft id must be non-zero");
    if (heartbeatTicks <= 0) throw new IllegalArgumentException("heartbeatTicks must be > 0");
    if (electionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException("electionTicks must be greater than heartbeatTicks");
    }
    if (maxInflightMsgs <= 0) throw new IllegalArgumentException("maxInflightMsgs must be > 0");
    if (leaseReads && !checkQuorum) {
      throw new IllegalArgumentException("leaseReads needs checkQuorum");
    }
  }

  /** Lease reads whenever check-quorum is on (the lease rests on it). */
  public RaftConfig(long id, int electionTicks, int heartbeatTicks, boolean preVote,
      boolean checkQuorum, long maxSizePerMsgBytes, int maxInflightMsgs, long maxInflightBytes,
      long appliedIndex, long randomSeed) {
    this(id, electionTicks, heartbeatTicks, preVote, checkQuorum, maxSizePerMsgBytes,
        maxInflightMsgs, maxInflightBytes, appliedIndex, randomSeed, checkQuorum);
  }

  /** Defaults matching etcd's: 100 ms ticks, 10-tick elections, 1-tick heartbeats. */
  public static RaftConfig defaults(long id) {
    return new RaftConfig(id, 10, 1, true, true, 1 << 20, 256, 32L << 20, 0, id);
  }

  public RaftConfig withAppliedIndex(long applied) {
    return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum,
        maxSizePerMsgBytes, maxInflightMsgs, maxInflightBytes, applied, randomSeed, leaseReads);
  }

  public RaftConfig withLeaseReads(boolean on) {
    return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum,
        maxSizePerMsgBytes, maxInflightMsgs, maxInflightBytes, appliedIndex, randomSeed, on);
  }
}
