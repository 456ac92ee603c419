package io.v2store.server;

/** When the current leader took over, for /v2/stats/self's leaderInfo. */
final class LeaderTracker {
  private volatile long leaderId;
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

  void leaderIs(long id, long nowMillis) {
    if (id != leaderId) {
      leaderId = id;
      leaderSinceMillis = nowMillis;
      if (id != 0) onNewLeader.forEach(Runnable::run);
    }
  }

  long leaderSinceMillis() {
    return leaderSinceMillis;
  }
}
