package io.v2store.raft.driver;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Snapshot;
import java.util.concurrent.atomic.AtomicLong;

/** A state machine that keeps only the index it last applied, with a snapshot of fixed size. */
final class IndexRecordingMachine implements StateMachine {
  final AtomicLong applied = new AtomicLong();
  private final int snapshotBytes;
  private final SnapshotTurn turn;

  /** With a one-byte snapshot. */
  IndexRecordingMachine() {
    this(1);
  }

  IndexRecordingMachine(int snapshotBytes) {
    this(snapshotBytes, SnapshotTurn.ALONE);
  }

  /** As a member that takes the given turn among others. */
  IndexRecordingMachine(int snapshotBytes, SnapshotTurn turn) {
    this.snapshotBytes = snapshotBytes;
    this.turn = turn;
  }

  @Override
  public SnapshotTurn snapshotTurn() {
    return turn;
  }

  @Override
  public void applyEntry(long index, ByteString data) {
    applied.set(index);
  }

  @Override
  public void applyConfChange(long index, ConfChange change) {
    applied.set(index);
  }

  @Override
  public byte[] snapshot() {
    byte[] data = new byte[snapshotBytes];
    java.util.Arrays.fill(data, (byte) 1);
    return data;
  }

  @Override
  public void restore(Snapshot snapshot) {}
}
