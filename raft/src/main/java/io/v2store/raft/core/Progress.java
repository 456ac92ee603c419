package io.v2store.raft.core;

/** The leader's view of one member's log (etcd's {@code tracker/progress.go}). */
final class Progress {
  long match;
  long next;
  ProgressState state = ProgressState.PROBE;
  /** In SNAPSHOT state: the index of the snapshot being sent. */
  long pendingSnapshot;
  /** Heard from since the last check-quorum; also gates sending snapshots. */
  boolean recentActive;
  /** PROBE: one message is out; REPLICATE: the inflight window is full. */
  boolean msgAppFlowPaused;
  /** The newest leader tick stamped on a heartbeat this follower answered (LeaderLease). */
  long leaseAckTick;
  final Inflights inflights;
  final boolean learner;

  Progress(long match, long next, int maxInflightMsgs, long maxInflightBytes, boolean learner) {
    this.match = match;
    this.next = next;
    this.inflights = new Inflights(maxInflightMsgs, maxInflightBytes);
    this.learner = learner;
  }

  private void resetState(ProgressState newState) {
    msgAppFlowPaused = false;
    pendingSnapshot = 0;
    state = newState;
    inflights.reset();
  }

  void becomeProbe() {
    if (state == ProgressState.SNAPSHOT) {
      long pending = pendingSnapshot;
      resetState(ProgressState.PROBE);
      next = Math.max(match + 1, pending + 1);
    } else {
      resetState(ProgressState.PROBE);
      next = match + 1;
    }
  }

  void becomeReplicate() {
    resetState(ProgressState.REPLICATE);
    next = match + 1;
  }

  void becomeSnapshot(long snapshotIndex) {
    resetState(ProgressState.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /** Records an AppendEntries of count entries (payloadBytes) sent from next. */
  void sentEntries(int count, long payloadBytes) {
    switch (state) {
      case REPLICATE -> {
        if (count > 0) {
          next += count;
          inflights.add(next - 1, payloadBytes);
        }
        msgAppFlowPaused = inflights.full();
      }
      case PROBE -> {
        if (count > 0) msgAppFlowPaused = true;
      }
      case SNAPSHOT -> throw new IllegalStateException("sending entries in snapshot state");
    }
  }

  /** An acknowledgement up to n: returns false if it is stale. */
  boolean maybeUpdate(long n) {
    if (n <= match) return false;
    match = n;
    next = Math.max(next, n + 1);
    msgAppFlowPaused = false;
    return true;
  }

  /**
   * A rejection of the append at index rejected; matchHint is the follower's hint. Returns false if
   * the rejection is stale.
   */
  boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == ProgressState.REPLICATE) {
      if (rejected <= match) return false;
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) return false;
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    msgAppFlowPaused = false;
    return true;
  }

  boolean isPaused() {
    return switch (state) {
      case PROBE, REPLICATE -> msgAppFlowPaused;
      case SNAPSHOT -> true;
    };
  }

  @Override
  public String toString() {
    return state + " match=" + match + " next=" + next + " inflight=" + inflights.count();
  }
}
