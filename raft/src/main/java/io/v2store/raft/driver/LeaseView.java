package io.v2store.raft.driver;

/**
 * What the holder of the core last published about its leader lease, so that other threads may
 * answer linearizable reads without stepping them through the core. Published at the start of
 * every Ready, before any of its messages leave or its committed entries are applied: every commit
 * index anyone outside the core could have seen is therefore at most {@link #commitIndex()}.
 *
 * @param validUntilNanos System.nanoTime() before which no other leader can exist
 * @param commitIndex this leader's commit index when published
 * @param term this leader's term
 */
record LeaseView(boolean holds, long validUntilNanos, long commitIndex, long term) {
  static final LeaseView NONE = new LeaseView(false, 0, 0, 0);

  boolean validAt(long nanos) {
    return holds && validUntilNanos - nanos > 0;
  }
}
