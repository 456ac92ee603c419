package io.v2store.raft.core;

import java.util.ArrayDeque;

/**
 * The AppendEntries sent to one follower and not yet acknowledged, bounded by count and by payload
 * bytes: the flow control of pipelined replication (etcd's {@code tracker/inflights.go}).
 */
final class Inflights {
  private record Inflight(long lastIndex, long bytes) {}

  private final int maxCount;
  private final long maxBytes;
  private final ArrayDeque<Inflight> queue = new ArrayDeque<>();
  private long bytes;

  Inflights(int maxCount, long maxBytes) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
  }

  void add(long lastIndex, long messageBytes) {
    if (full()) throw new IllegalStateException("cannot add into a full inflights window");
    queue.addLast(new Inflight(lastIndex, messageBytes));
    bytes += messageBytes;
  }

  /** Frees every message whose last index is <= index (the follower acknowledged them). */
  void freeLE(long index) {
    while (!queue.isEmpty() && queue.peekFirst().lastIndex() <= index) {
      bytes -= queue.removeFirst().bytes();
    }
  }

  boolean full() {
    return queue.size() >= maxCount || (maxBytes > 0 && bytes >= maxBytes);
  }

  int count() {
    return queue.size();
  }

  long bytes() {
    return bytes;
  }

  void reset() {
    queue.clear();
    bytes = 0;
  }
}
