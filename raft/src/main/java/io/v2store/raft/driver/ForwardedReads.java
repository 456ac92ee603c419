package io.v2store.raft.driver;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Linearizable reads on a follower, forwarded to the leader without passing through the raft
 * thread: one MSG_READ_INDEX carries every read that arrived while the previous one was out, and
 * the leader's answer is taken straight off the transport. A read may be served once this member
 * has applied up to the leader's answer; which leader answered does not matter, as any answer was
 * given after the reads arrived by a leader that had just confirmed (or leased) its leadership.
 *
 * <p>Thread-safe: HTTP threads add, transport threads answer, the holder of the core fails.
 */
final class ForwardedReads {
  /** Contexts of ours have this bit set; the core's own forwarded reads never do. */
  private static final long TAG = 1L << 62;
  /** A batch unanswered for this long is given up on; its reads time out with their requests. */
  private static final long FORGET_AFTER_NANOS = 60_000_000_000L;

  /** A read waiting for an answer, and when it first went (or waited) to be sent. */
  private record Read(CompletableFuture<Long> future, long sinceNanos) {}

  private record Batch(List<Read> reads, long sentNanos) {}

  private final long resendAfterNanos;
  private final DriverListener listener;
  private final Map<Long, Batch> inFlight = new HashMap<>();
  private List<Read> waiting = new ArrayList<>();
  /**
   * Where this run's batches are numbered from: not 1 on every start, as ReadIndexBatches' rounds.
   * A leader that answers late may answer a batch of this member's previous run (killed and
   * restarted within the leader's round): numbered alike, that answer, with the older index,
   * would serve a read begun after a write the index misses. Below 2^61, so that counting up
   * never reaches {@link #TAG} or the sign bit.
   */
  private long nextContext;

  /**
   * @param resendAfterNanos when the newest batch is this old, another may go out beside it
   * @param listener told of batches that fail or answer late, for etcd's read index counters
   */
  ForwardedReads(long resendAfterNanos, DriverListener listener) {
    this.resendAfterNanos = resendAfterNanos;
    this.listener = listener;
    this.nextContext = ThreadLocalRandom.current().nextLong(1L << 61);
  }

  static boolean owns(ByteString context) {
    return context.size() == Long.BYTES && (context.asReadOnlyByteBuffer().getLong() & TAG) != 0;
  }

  /** Queues a read; returns the message to send to the leader now, or null. */
  synchronized Message add(CompletableFuture<Long> read, long self, long leader, long nowNanos) {
    waiting.add(new Read(read, nowNanos));
    return maybeSend(self, leader, nowNanos);
  }

  /** The leader answered: returns the next batch's message, or null. */
  Message answered(ByteString context, long index, AppliedIndex applied, long self, long leader,
      long nowNanos) {
    Batch done;
    Message next;
    synchronized (this) {
      done = inFlight.remove(context.asReadOnlyByteBuffer().getLong());
      next = maybeSend(self, leader, nowNanos);
    }
    if (done != null) {
      for (Read read : done.reads()) applied.whenApplied(index, read.future());
    } else {
      listener.onReadIndexSlow(); // an answer to a batch failed or forgotten before
    }
    return next;
  }

  /** Holder of the core, every tick: sends what waits behind a batch that seems lost. */
  synchronized Message kick(long self, long leader, long nowNanos) {
    return maybeSend(self, leader, nowNanos);
  }

  /**
   * The leader changed (or we stop): batches out to the old one may never be answered. Each batch
   * out is counted as failed unless the member is stopping, as etcd counts them.
   */
  void failAll(RuntimeException cause, boolean stopping) {
    List<CompletableFuture<Long>> failed = new ArrayList<>();
    synchronized (this) {
      for (Batch b : inFlight.values()) {
        for (Read read : b.reads()) failed.add(read.future());
        if (!stopping) listener.onReadIndexFailed();
      }
      inFlight.clear();
      for (Read read : waiting) failed.add(read.future());
      waiting = new ArrayList<>();
    }
    for (CompletableFuture<Long> read : failed) read.completeExceptionally(cause);
  }

  private Message maybeSend(long self, long leader, long nowNanos) {
    if (leader == 0 || waiting.isEmpty() && inFlight.isEmpty()) return null;
    for (Iterator<Batch> it = inFlight.values().iterator(); it.hasNext(); ) {
      long age = nowNanos - it.next().sentNanos();
      if (age > FORGET_AFTER_NANOS) it.remove();
      else if (age < resendAfterNanos) return null; // one batch out at a time while answers come
    }
    // The batches out seem lost (a message dropped on a full inbox, a connection reset, a leader
    // re-elected meanwhile): their reads go again with this one, or they would wait for their
    // requests' timeout. Whichever answer comes first serves a read: each was given after it.
    // A read as old as a batch is kept is given up on as that batch would be (its request timed
    // out long ago): a leader that never answers would otherwise have it sent until it changes.
    // Those batches are given up on here, each counted once: kept, every batch for a minute
    // after would count as sent beside one unanswered, and a leader change would fail each. A
    // late answer to one is counted as etcd counts an answer to a round it stopped waiting for.
    List<Read> batch = waiting;
    boolean besideUnanswered = !inFlight.isEmpty();
    for (Batch lost : inFlight.values()) {
      for (Read read : lost.reads()) {
        if (!read.future().isDone() && nowNanos - read.sinceNanos() <= FORGET_AFTER_NANOS) {
          batch.add(read);
        }
      }
    }
    inFlight.clear();
    if (batch.isEmpty()) return null;
    // etcd counts a read index round it stopped waiting for as slow: here, one sent beside
    // batches that went unanswered for resendAfterNanos
    if (besideUnanswered) listener.onReadIndexSlow();
    long context = TAG | ++nextContext;
    inFlight.put(context, new Batch(batch, nowNanos));
    waiting = new ArrayList<>();
    return Message.newBuilder().setType(MessageType.MSG_READ_INDEX).setFrom(self).setTo(leader)
        .setContext(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(context).array()))
        .build();
  }
}
