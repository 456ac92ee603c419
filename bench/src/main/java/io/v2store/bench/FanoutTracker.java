package io.v2store.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per write (by sequence number): when it was acknowledged, how many watchers have it and when
 * the last one got it. A write's latency is recorded once, by whichever side completes the pair
 * (ack, W-th arrival) last; both sides publish before they check, so exactly one records it.
 */
final class FanoutTracker {
  private final int watchers;
  private final AtomicLongArray ackNanos;
  private final AtomicLongArray lastArrivalNanos;
  private final AtomicIntegerArray arrivals;
  private final AtomicIntegerArray recorded;
  private final Latencies latencies;

  FanoutTracker(int watchers, int maxWrites, Latencies latencies) {
    this.watchers = watchers;
    this.ackNanos = new AtomicLongArray(maxWrites);
    this.lastArrivalNanos = new AtomicLongArray(maxWrites);
    this.arrivals = new AtomicIntegerArray(maxWrites);
    this.recorded = new AtomicIntegerArray(maxWrites);
    this.latencies = latencies;
  }

  long ackNanos(int seq) {
    return seq < capacity() ? ackNanos.get(seq) : 0;
  }

  int capacity() {
    return ackNanos.length();
  }

  void acked(int seq, long nanos) {
    ackNanos.set(seq, nanos);
    if (arrivals.get(seq) == watchers) record(seq);
  }

  void arrived(int seq, long nanos) {
    if (seq < 0 || seq >= capacity()) return;
    lastArrivalNanos.accumulateAndGet(seq, nanos, Math::max);
    if (arrivals.incrementAndGet(seq) == watchers && ackNanos.get(seq) != 0) record(seq);
  }

  private void record(int seq) {
    if (recorded.compareAndSet(seq, 0, 1)) {
      // A watcher may hear of a write before its writer does: that counts as zero.
      latencies.recordNanos(Math.max(0, lastArrivalNanos.get(seq) - ackNanos.get(seq)));
    }
  }

  /** True when every acknowledged write below {@code writes} reached every watcher. */
  boolean complete(int writes) {
    for (int s = 0; s < writes; s++) {
      if (ackNanos.get(s) != 0 && arrivals.get(s) < watchers) return false;
    }
    return true;
  }

  /** Events some watcher never received, over the acknowledged writes below {@code writes}. */
  long missed(int writes) {
    long missed = 0;
    for (int s = 0; s < writes; s++) {
      if (ackNanos.get(s) != 0) missed += Math.max(0, watchers - arrivals.get(s));
    }
    return missed;
  }
}
