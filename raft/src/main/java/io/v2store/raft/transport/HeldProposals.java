package io.v2store.raft.transport;

import io.v2store.raft.pb.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Proposals a member forwards to its leader while its connection there is not up yet (being
 * dialled, or waiting out its back-off). The raft core never sends a proposal again: dropped, it
 * cost the client's write its whole request timeout, and a member that had just started could
 * not publish itself, and so serve, for 6 s after it knew its leader. Held here, bounded by
 * count, bytes and age, they go out first once the connection is accepted. etcd sends such a
 * message as a request of its own (its pipeline) while its stream to the peer is not up.
 *
 * <p>Not thread-safe: the connection's monitor guards it.
 */
final class HeldProposals {
  /** Older than this, a proposal is dropped: its client has given up on the write by then. */
  static final long MAX_AGE_NANOS = 5_000_000_000L;

  private record Held(Message message, long heldAtNanos, int bytes) {}

  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final int maxCount;
  private final long maxBytes;
  private long bytes;

  HeldProposals(int maxCount, long maxBytes) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
  }

  /** Holds the proposal unless that would pass a bound; false: the caller drops it. */
  boolean hold(Message proposal, long nowNanos) {
    expire(nowNanos);
    int size = proposal.getSerializedSize();
    if (held.size() >= maxCount || bytes + size > maxBytes) {
      return false;
    }
    held.add(new Held(proposal, nowNanos, size));
    bytes += size;
    return true;
  }

  /** What is held and not too old, oldest first; nothing is held after. */
  List<Message> takeAll(long nowNanos) {
    expire(nowNanos);
    List<Message> out = new ArrayList<>(held.size());
    for (Held h : held) {
      out.add(h.message());
    }
    clear();
    return out;
  }

  void clear() {
    held.clear();
    bytes = 0;
  }

  private void expire(long nowNanos) {
    while (!held.isEmpty() && nowNanos - held.peek().heldAtNanos() > MAX_AGE_NANOS) {
      bytes -= held.poll().bytes();
    }
  }
}
