package io.v2store.raft.driver;

import io.v2store.raft.RawNode;
import io.v2store.raft.ReadState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Linearizable reads, batched: all reads that arrive while a leadership round is being confirmed
 * wait for the next round together, so a thousand concurrent quorum reads cost one heartbeat
 * round, not a thousand log entries.
 */
final class ReadIndexBatches {
  private final ConcurrentLinkedQueue<CompletableFuture<Long>> waiting =
      new ConcurrentLinkedQueue<>();
  /**
   * Every this many reads added, those waiting whose requests already ended are dropped: only the
   * holder of the core takes them, and a raft thread held up in a sync that does not return (a
   * disk that hangs under the log) would otherwise keep every quorum read and health check made
   * meanwhile.
   */
  private static final long PRUNE_EVERY = 1_024;
  private final AtomicLong added = new AtomicLong();
  // Owned by the holder of the core.
  private final Map<Long, List<CompletableFuture<Long>>> inFlight = new HashMap<>();
  private final DriverListener listener;
  /**
   * Where this run's rounds are numbered from: not 1 on every start. A follower forwards its round
   * to the leader, and a leader that answers late may answer a round of this member's previous run
   * (killed and restarted within the leader's round): numbered alike, that answer, with the older
   * index, would serve a read begun after a write the index misses. Below 2^61, so that no
   * round's context has the bit of ForwardedReads' (the driver would take the leader's answer for
   * one of those, and the round's reads would wait until they time out).
   */
  private long nextContext;

  ReadIndexBatches(DriverListener listener) {
    this(listener, ThreadLocalRandom.current().nextLong(1L << 61));
  }

  ReadIndexBatches(DriverListener listener, long firstContext) {
    this.listener = listener;
    this.nextContext = firstContext;
  }

  /** The context of the round started last (tests). */
  private long lastContext;

  long lastContext() {
    return lastContext;
  }

  void add(CompletableFuture<Long> read) {
    if (added.incrementAndGet() % PRUNE_EVERY == 0) waiting.removeIf(CompletableFuture::isDone);
    waiting.add(read);
  }

  /** Reads waiting for a round to start (tests). */
  int waiting() {
    return waiting.size();
  }

  boolean nothingToStart() {
    return waiting.isEmpty();
  }

  /** Holder of the core: starts one ReadIndex round for every read that has arrived. */
  void startWaiting(RawNode node) {
    start(node, takeWaiting());
  }

  /**
   * Holder of the core: the reads that have arrived, for {@link #start} later in the round
   * (null if none). A round takes them before it reads the clock: the core judges its leader
   * lease by the time of that reading, which says nothing of a read that arrived after it (the
   * process paused in between).
   */
  List<CompletableFuture<Long>> takeWaiting() {
    if (waiting.isEmpty()) return null;
    List<CompletableFuture<Long>> batch = new ArrayList<>();
    for (CompletableFuture<Long> f; (f = waiting.poll()) != null; ) batch.add(f);
    return batch.isEmpty() ? null : batch;
  }

  /** Holder of the core: starts one ReadIndex round for reads taken by {@link #takeWaiting}. */
  void start(RawNode node, List<CompletableFuture<Long>> batch) {
    if (batch == null) return;
    // Rounds no leader answers (this member knows none, or its leader is cut off) would keep
    // their reads until leadership changes: forget those whose every read has ended (its
    // requester timed it out), or an outage holds every quorum read made during it.
    inFlight.values().removeIf(ReadIndexBatches::allEnded);
    long context = nextContext++;
    lastContext = context;
    inFlight.put(context, batch);
    node.readIndex(ByteBuffer.allocate(Long.BYTES).putLong(context).array());
  }

  /** The rounds started and neither answered nor failed (tests). */
  int roundsInFlight() {
    return inFlight.size();
  }

  private static boolean allEnded(List<CompletableFuture<Long>> batch) {
    for (CompletableFuture<Long> read : batch) {
      if (!read.isDone()) return false;
    }
    return true;
  }

  /** Holder of the core: a round was confirmed; its reads run once applied reaches the index. */
  void answered(ReadState state, AppliedIndex applied) {
    if (state.requestContext() == null || state.requestContext().length != Long.BYTES) return;
    long context = ByteBuffer.wrap(state.requestContext()).getLong();
    List<CompletableFuture<Long>> batch = inFlight.remove(context);
    if (batch == null) {
      // a round failed before (leadership changed) answered after all: its reads are gone
      listener.onReadIndexSlow();
      return;
    }
    for (CompletableFuture<Long> read : batch) applied.whenApplied(state.index(), read);
  }

  /**
   * Holder of the core: rounds that can no longer be confirmed (leadership changed, stopping);
   * counted as failed unless the member is stopping, as etcd counts them.
   */
  void failInFlight(RuntimeException cause, boolean stopping) {
    for (List<CompletableFuture<Long>> batch : inFlight.values()) {
      if (!stopping) listener.onReadIndexFailed();
      for (CompletableFuture<Long> read : batch) read.completeExceptionally(cause);
    }
    inFlight.clear();
  }
}
