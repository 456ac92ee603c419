package io.v2store.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster-unique request ids, as etcd makes them: the low 16 bits of the member id on top, then
 * the start time in milliseconds, then a counter. Unique across members by the prefix and across
 * restarts of one member by the time.
 */
final class RequestIds {
  private static final int TIME_AND_COUNTER_BITS = 48;
  private static final int COUNTER_BITS = 8;

  private final long prefix;
  private final AtomicLong suffix;

  RequestIds(long memberId, long startMillis) {
    this.prefix = (memberId & 0xffffL) << TIME_AND_COUNTER_BITS;
    long timeBits = (startMillis << COUNTER_BITS) & ((1L << TIME_AND_COUNTER_BITS) - 1);
    this.suffix = new AtomicLong(timeBits);
  }

  long next() {
    return prefix | (suffix.incrementAndGet() & ((1L << TIME_AND_COUNTER_BITS) - 1));
  }
}
