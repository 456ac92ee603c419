package io.v2store.raft.driver;

import io.v2store.raft.pb.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Normal entries waiting for the core, from this member's clients and forwarded by followers.
 * Each round of the core proposes all of them in one MSG_PROP, so a busy leader appends once and
 * sends one AppendEntries per follower for the whole batch, instead of one (and one
 * acknowledgement back) per client write.
 *
 * <p>Bounded: past {@code capacity} entries waiting, offers are refused as "too busy".
 */
final class ProposalQueue {
  /** accepted is null for an entry forwarded by a follower: nobody here waits for it. */
  record Proposed(Entry entry, CompletableFuture<Void> accepted) {}

  private final ConcurrentLinkedQueue<Proposed> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int capacity;

  ProposalQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Any thread. Returns false when full. */
  boolean offer(Entry entry, CompletableFuture<Void> accepted) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return false;
    }
    queue.add(new Proposed(entry, accepted));
    return true;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Holder of the core: everything waiting now, in arrival order. */
  List<Proposed> drain() {
    List<Proposed> out = new ArrayList<>();
    for (Proposed p; (p = queue.poll()) != null; ) out.add(p);
    size.addAndGet(-out.size());
    return out;
  }
}
