package io.v2store.raft;

import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.Snapshot;
import java.util.List;

/**
 * The durable log as the Raft core sees it: read-only. The driver writes through {@link DurableLog}
 * after the core has asked for it in a {@link Ready}; the core never writes.
 *
 * <p>Indexes: entries (firstIndex()-1, lastIndex()] are readable; firstIndex()-1 is the index of the
 * last compacted entry (the snapshot's index) whose term is still answered by {@link #term(long)}.
 * An empty log has firstIndex() == 1 and lastIndex() == 0.
 */
public interface LogStorage {

  /** The persisted hard state and configuration, read once when the core starts. */
  InitialState initialState();

  /**
   * Entries in [lo, hi), at least one if any exist there, then as many more as fit in maxBytes.
   *
   * @throws LogCompactedException if lo <= the compacted index
   * @throws LogUnavailableException if hi > lastIndex() + 1
   */
  List<Entry> entries(long lo, long hi, long maxBytes);

  /**
   * The term of entry i, for i in [firstIndex()-1, lastIndex()].
   *
   * @throws LogCompactedException if i < firstIndex() - 1
   * @throws LogUnavailableException if i > lastIndex()
   */
  long term(long i);

  long firstIndex();

  long lastIndex();

  /**
   * The most recent snapshot, to send to a follower that needs compacted entries.
   *
   * @throws SnapshotTemporarilyUnavailableException when none can be produced right now
   */
  Snapshot snapshot();
}
