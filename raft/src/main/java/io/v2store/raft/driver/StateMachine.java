package io.v2store.raft.driver;

import com.google.protobuf.ByteString;
import io.v2store.raft.SnapshotInput;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The replicated application, driven by the apply thread. Every member applies the same entries in
 * the same order and must reach the same state, so nothing here may read a clock or a random
 * number.
 */
public interface StateMachine {

  /**
   * Applies one committed normal entry (data may be empty: a new leader's no-op entry). data is
   * the entry's own: a parser reads it in place, where a byte[] would be a copy per entry.
   */
  void applyEntry(long index, ByteString data);

  /**
   * Finishes what {@link #applyEntry} left for later so that its writer could be answered first
   * (waking the watchers of a key, say). The driver calls it after each batch of entries, before
   * the next is applied: on the apply thread, or on the thread that applied the batch when
   * {@link #finishIsLight()} says so.
   */
  default void finishApplied() {}

  /**
   * Whether {@link #finishApplied()} is cheap enough for the holder of the Raft core to run it:
   * if not, the driver hands it to the apply thread, so that replication does not wait for it.
   */
  default boolean finishIsLight() {
    return true;
  }

  /** Applies a committed configuration change (the driver has already told the core). */
  void applyConfChange(long index, ConfChange change);

  /** Serialises the whole state as of the last applied entry. */
  byte[] snapshot();

  /**
   * Writes the bytes {@link #snapshot()} would return to out, for a state too large to hold twice
   * in memory. This is what periodic snapshots use; the default copies {@link #snapshot()}.
   */
  default void writeSnapshot(OutputStream out) throws IOException {
    out.write(snapshot());
  }

  /**
   * This member's turn among the members writing snapshots, so that they do not all write one at
   * the same index (see SnapshotTurn); asked on the thread that applies, once a snapshot is due.
   */
  default SnapshotTurn snapshotTurn() {
    return SnapshotTurn.ALONE;
  }

  /** Replaces the whole state with a snapshot (on restart, or when a leader sends one). */
  void restore(Snapshot snapshot);

  /**
   * {@link #restore(Snapshot)} from data read as a stream: a restart's, from a snapshot file that
   * may be over the 2 GiB a Snapshot can hold. The default reads the data whole into one.
   */
  default void restore(SnapshotInput snapshot) {
    try {
      restore(Snapshot.newBuilder().setMetadata(snapshot.metadata())
          .setData(ByteString.readFrom(snapshot.data())).build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore from snapshot at index "
          + snapshot.metadata().getIndex(), e);
    }
  }
}
