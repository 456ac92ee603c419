package io.v2store.http;

import java.util.Map;

/** /v2/stats/leader on the leader: per-follower latency (milliseconds) and counts. */
public record LeaderStats(long leaderId, Map<Long, Follower> followers) {

  public record Follower(double currentMs, double averageMs, double standardDeviationMs,
      double minimumMs, double maximumMs, long fail, long success) {}
}
