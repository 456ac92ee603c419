package io.v2store.server;

/** When the current leader took over, for /v2/stats/self's leaderInfo. */
final class LeaderTracker {
  private volatile long leaderId;
  private long leaderTerm;
  private volatile long leaderSinceMillis;
  private final java.util.List<Runnable> onNewLeader =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  LeaderTracker(long nowMillis) {
    this.leaderSinceMillis = nowMillis;
  }

  /** Runs (on the thread holding the raft core: must not block) whenever a new leader is known. */
  void onNewLeader(Runnable action) {
    onNewLeader.add(action);
  }

  /**
   * A leader (0: none) in term. The actions run for a leader this member did not have just
   * before, and for the same leader in a new term: re-elected, it may have dropped what was
   * forwarded to it meanwhile. Its start time stays that of its first term in a row.
   */
  void leaderIs(long id, long term, long nowMillis) {
    boolean newTerm = term != leaderTerm;
    leaderTerm = term;
    if (id != leaderId) {
      leaderId = id;
      leaderSinceMillis = nowMillis;
      if (id != 0) onNewLeader.forEach(Runnable::run);
    } else if (id != 0 && newTerm) {
      onNewLeader.forEach(Runnable::run);
    }
  }

  long leaderSinceMillis() {
    return leaderSinceMillis;
  }
}
