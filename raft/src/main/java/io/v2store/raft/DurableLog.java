package io.v2store.raft;

import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The writable side of the log, used only by the driver. Implementations: {@code MemoryLog} (tests,
 * simulation) and the RocksDB log in the storage module.
 */
public interface DurableLog extends LogStorage, AutoCloseable {

  /**
   * Persists, atomically and (when sync) fsynced before returning: the entries, which replace any
   * existing entries at the same or higher indexes (a conflicting suffix is truncated), and the hard
   * state if non-null. One call is one group commit.
   */
  void save(HardState hardState, List<Entry> entries, boolean sync);

  /**
   * Replaces the whole log with a snapshot received from the leader: every entry up to the
   * snapshot's index is discarded, and entries after it too unless they match. Data in a file
   * ({@code data_file}, received by this log's {@link SnapshotSink}) is moved into place.
   */
  void applySnapshot(Snapshot snapshot);

  /**
   * Records a snapshot of the applied state at {@code index} (<= last applied) so it can be served
   * to lagging followers and used on restart. Does not compact. May refuse one older than the
   * latest with {@link SnapshotOutOfDateException}.
   */
  void createSnapshot(long index, ConfState confState, byte[] data);

  /**
   * Has writer write a snapshot's data where this log keeps snapshots, without holding it whole in
   * memory. Called on the apply thread while the state does not change, concurrently with the
   * raft thread's calls, so it must touch nothing those calls use; nothing is recorded until
   * {@link #createSnapshot(long, ConfState, StagedSnapshot)}. The default buffers the data.
   */
  default StagedSnapshot stageSnapshot(StagedSnapshot.Writer writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    return new StagedSnapshot.InMemory(out.toByteArray());
  }

  /** {@link #createSnapshot(long, ConfState, byte[])} for data staged by this log. */
  default void createSnapshot(long index, ConfState confState, StagedSnapshot staged) {
    if (!(staged instanceof StagedSnapshot.InMemory memory)) {
      throw new IllegalArgumentException("snapshot data not staged by this log: " + staged);
    }
    createSnapshot(index, confState, memory.data());
  }

  /**
   * The latest snapshot with its data as a stream, which the caller closes: what a follower
   * restores from once it installed a leader's snapshot whose data was a file ({@code
   * data_file}), and a restart. A log that keeps files streams them; the default reads {@link
   * #snapshot()}'s data.
   *
   * @throws SnapshotTemporarilyUnavailableException if there is none
   */
  default SnapshotInput openSnapshot() {
    Snapshot snapshot = snapshot();
    return new SnapshotInput(snapshot.getMetadata(), snapshot.getData().size(),
        snapshot.getData().newInput());
  }

  /** Discards entries up to and including compactIndex (which must be <= the snapshot index). */
  void compact(long compactIndex);

  @Override
  void close();
}
