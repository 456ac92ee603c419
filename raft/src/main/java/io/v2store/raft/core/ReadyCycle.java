package io.v2store.raft.core;

import io.v2store.raft.Ready;
import io.v2store.raft.SoftState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Snapshot;
import java.util.List;

/**
 * Hands the core's output to the driver one {@link Ready} at a time and takes it back on advance
 * (etcd's {@code rawnode.go}). Only one Ready is outstanding; steps and ticks may happen meanwhile,
 * and what they produce goes into the next Ready.
 */
public final class ReadyCycle {
  /** Bounds the committed entries handed out in one Ready (at least one is always handed out). */
  static final long MAX_COMMITTED_BYTES_PER_READY = 64L << 20;

  private final RaftCore r;
  private SoftState prevSoft;
  private HardState prevHard;
  private Ready outstanding;

  public ReadyCycle(RaftCore r) {
    this.r = r;
    this.prevSoft = softState();
    this.prevHard = r.hardState();
  }

  private SoftState softState() {
    return new SoftState(r.lead, r.role);
  }

  public boolean hasReady() {
    if (outstanding != null) return false;
    return !softState().equals(prevSoft)
        || !r.hardState().equals(prevHard)
        || r.log.unstable.snapshot() != null
        || r.log.unstable.maybeLastIndex() >= r.log.unstable.offset()
        || r.log.hasNextCommittedEntries()
        || !r.outbox.isEmpty();
  }

  public Ready ready() {
    if (outstanding != null) {
      throw new IllegalStateException("the previous Ready was not advanced");
    }
    Ready commitFirst = commitFirst();
    if (commitFirst != null) {
      outstanding = commitFirst;
      return commitFirst;
    }
    SoftState soft = softState();
    HardState hard = r.hardState();
    List<Entry> entries = r.log.unstable.entriesCopy();
    Snapshot snapshot = r.log.unstable.snapshot();
    boolean mustSync = !entries.isEmpty() || snapshot != null
        || hard.getTerm() != prevHard.getTerm() || hard.getVote() != prevHard.getVote();
    Ready rd = new Ready(
        soft.equals(prevSoft) ? null : soft,
        hard.equals(prevHard) ? null : hard,
        r.outbox.takeReadStates(),
        entries,
        snapshot,
        r.log.nextCommittedEntries(MAX_COMMITTED_BYTES_PER_READY),
        r.outbox.takeMessages(),
        r.outbox.takeAfterPersist(),
        mustSync);
    r.readIndex.onMessagesTaken();
    prevSoft = soft;
    prevHard = hard;
    outstanding = rd;
    return rd;
  }

  /**
   * Under load, the acknowledgements that commit one batch arrive while the next batch is being
   * written, so a Ready would carry both; a driver that persists before it applies would then
   * hold every commit back by one more fsync. When some committed entries are already stable
   * here (below the unstable offset), hand out those alone first: no entries, no hard state, no
   * messages, nothing to persist. They are durable on a majority (followers acknowledge only
   * persisted entries, and these are persisted here too), so applying them before the next save
   * weakens nothing; everything else waits for the following Ready, unchanged.
   */
  private Ready commitFirst() {
    if (r.log.unstable.snapshot() != null) return null;
    long unstableFrom = r.log.unstable.offset();
    if (r.log.unstable.maybeLastIndex() < unstableFrom) return null; // nothing to persist
    long stableCommitted = Math.min(r.log.committed, unstableFrom - 1);
    if (stableCommitted <= r.log.applied) return null;
    List<Entry> committed = r.log.slice(r.log.applied + 1, stableCommitted + 1,
        MAX_COMMITTED_BYTES_PER_READY);
    return new Ready(null, null, List.of(), List.of(), null, committed, List.of(), List.of(),
        false);
  }

  public void advance(Ready rd) {
    if (rd != outstanding) throw new IllegalArgumentException("advance of a Ready not handed out");
    outstanding = null;
    if (rd.snapshot() != null) {
      long index = rd.snapshot().getMetadata().getIndex();
      r.log.stableSnapTo(index);
      if (index > r.log.applied) r.log.applied = index;
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      r.log.stableTo(last.getIndex(), last.getTerm());
    }
    if (!rd.committedEntries().isEmpty()) {
      r.log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).getIndex());
    }
  }
}
