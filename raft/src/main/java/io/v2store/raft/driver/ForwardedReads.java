package io.v2store.raft.driver;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Linearizable reads on a follower, forwarded to the leader without passing through the raft
 * thread: one MSG_READ_INDEX carries every read that arrived while the previous one was out, and
 * the leader's answer is taken straight off the transport. A read may be served once this member
 * has applied up to the leader's answer; which leader answered does not matter, as any answer was
 * given after the reads arrived by a leader that had just confirmed (or leased) its leadership.
 *
 * <p>Batches are numbered in the order they go, and a read keeps the number of the first batch it
 * went in. An answer to batch n serves every read first sent in batch n or before: each of those
 * arrived before batch n went, so the answer was given after it arrived. A batch unanswered for a
 * resend interval (its message dropped on the leader's full inbox, a connection reset, a leader
 * slow to answer) is followed by another with every read still unserved: the first answer to
 * either serves them, so a leader that always answers late still serves every read, and one that
 * lost a message no longer leaves its reads to their requests' timeout.
 *
 * <p>Thread-safe: HTTP threads add, transport threads answer, the holder of the core fails.
 */
final class ForwardedReads {
  /** Contexts of ours have this bit set; the core's own forwarded reads never do. */
  private static final long TAG = 1L << 62;
  /** A read this old is no longer sent: its request timed out long ago. */
  private static final long FORGET_AFTER_NANOS = 60_000_000_000L;

  /** A read, when it arrived, and the number of the first batch it went in (0 before it went). */
  private record Read(CompletableFuture<Long> future, long arrivedNanos, long batch) {}

  private final long resendAfterNanos;
  private final DriverListener listener;
  /** Reads sent and not served, in the order they went: their batch numbers ascend. */
  private final ArrayDeque<Read> sent = new ArrayDeque<>();
  private List<Read> waiting = new ArrayList<>();
  /**
   * The number of the newest batch: this run's batches are numbered on from a random start, not
   * from 1, as ReadIndexBatches' rounds. A leader that answers late may answer a batch of this
   * member's previous run (killed and restarted within the leader's round): numbered alike, that
   * answer, with the older index, would serve a read begun after a write the index misses. Below
   * 2^61, so that counting up never reaches {@link #TAG} or the sign bit.
   */
  private long newest;
  /** Answers to batches numbered below this serve nothing: before this run, or failed. */
  private long liveFrom;
  /** Whether the newest batch is out unanswered, since when, and whether it was given up on. */
  private boolean newestOut;
  private long newestSentNanos;
  private boolean newestGivenUp;

  /**
   * @param resendAfterNanos when the newest batch is this old, another may go out beside it
   * @param listener told of batches that fail or answer late, for etcd's read index counters
   */
  ForwardedReads(long resendAfterNanos, DriverListener listener) {
    this.resendAfterNanos = resendAfterNanos;
    this.listener = listener;
    this.newest = ThreadLocalRandom.current().nextLong(1L << 61);
    this.liveFrom = newest + 1;
  }

  static boolean owns(ByteString context) {
    return context.size() == Long.BYTES && (context.asReadOnlyByteBuffer().getLong() & TAG) != 0;
  }

  /** Queues a read; returns the message to send to the leader now, or null. */
  synchronized Message add(CompletableFuture<Long> read, long self, long leader, long nowNanos) {
    waiting.add(new Read(read, nowNanos, 0));
    return maybeSend(self, leader, nowNanos);
  }

  /** The leader answered: returns the next batch's message, or null. */
  Message answered(ByteString context, long index, AppliedIndex applied, long self, long leader,
      long nowNanos) {
    long batch = context.asReadOnlyByteBuffer().getLong() & ~TAG;
    List<CompletableFuture<Long>> served = new ArrayList<>();
    boolean ours;
    Message next;
    synchronized (this) {
      ours = batch >= liveFrom && batch <= newest;
      if (ours) {
        while (!sent.isEmpty() && sent.peekFirst().batch() <= batch) {
          served.add(sent.pollFirst().future());
        }
        if (batch == newest) newestOut = false;
      }
      next = maybeSend(self, leader, nowNanos);
    }
    for (CompletableFuture<Long> read : served) applied.whenApplied(index, read);
    if (!ours) listener.onReadIndexSlow(); // an answer to a batch failed before, or another run's
    return next;
  }

  /** Holder of the core, every tick: sends again what a batch that seems lost holds. */
  synchronized Message kick(long self, long leader, long nowNanos) {
    return maybeSend(self, leader, nowNanos);
  }

  /**
   * The leader changed (or we stop): batches out to the old one may never be answered. Each batch
   * out with reads is counted as failed unless the member is stopping, as etcd counts them.
   */
  void failAll(RuntimeException cause, boolean stopping) {
    List<CompletableFuture<Long>> failed = new ArrayList<>();
    synchronized (this) {
      Set<Long> batchesOut = new HashSet<>();
      for (Read read : sent) {
        failed.add(read.future());
        batchesOut.add(read.batch());
      }
      if (!stopping) batchesOut.forEach(b -> listener.onReadIndexFailed());
      sent.clear();
      for (Read read : waiting) failed.add(read.future());
      waiting = new ArrayList<>();
      liveFrom = newest + 1;
      newestOut = false;
    }
    for (CompletableFuture<Long> read : failed) read.completeExceptionally(cause);
  }

  private Message maybeSend(long self, long leader, long nowNanos) {
    if (leader == 0) return null;
    if (newestOut) {
      if (nowNanos - newestSentNanos < resendAfterNanos) return null; // one out while answers come
      if (!newestGivenUp) {
        // etcd counts a read index round it stopped waiting for as slow: here, a batch that went
        // unanswered for resendAfterNanos, once
        newestGivenUp = true;
        listener.onReadIndexSlow();
      }
      // Only here, once a resend interval at most: what no request waits for any more.
      sent.removeIf(r -> r.future().isDone() || nowNanos - r.arrivedNanos() > FORGET_AFTER_NANOS);
    }
    if (waiting.isEmpty() && sent.isEmpty()) {
      newestOut = false;
      return null;
    }
    newest++;
    for (Read read : waiting) sent.addLast(new Read(read.future(), read.arrivedNanos(), newest));
    waiting = new ArrayList<>();
    newestOut = true;
    newestSentNanos = nowNanos;
    newestGivenUp = false;
    long context = TAG | newest;
    return Message.newBuilder().setType(MessageType.MSG_READ_INDEX).setFrom(self).setTo(leader)
        .setContext(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(context).array()))
        .build();
  }
}
