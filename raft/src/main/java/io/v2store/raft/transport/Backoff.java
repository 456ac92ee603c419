package io.v2store.raft.transport;

/** Exponential reconnect delay: min, 2*min, 4*min, ... up to max; reset once connected. */
final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(long minMillis, long maxMillis) {
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.nextMillis = minMillis;
  }

  synchronized long nextDelayMillis() {
    final long delay = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return delay;
  }

  synchronized void reset() {
    nextMillis = minMillis;
  }
}
