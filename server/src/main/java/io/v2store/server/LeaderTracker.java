package io.v2store.server;

/** When the current leader took over, for /v2/stats/self's leaderInfo. */
final class LeaderTracker {
  private volatile long leaderId;
  private volatile long leaderSinceMillis;

  LeaderTracker(long nowMillis) {
    this.leaderSinceMillis = nowMillis;
  }

  void leaderIs(long id, long nowMillis) {
    if (id != leaderId) {
      leaderId = id;
      leaderSinceMillis = nowMillis;
    }
  }

  long leaderSinceMillis() {
    return leaderSinceMillis;
  }
}
