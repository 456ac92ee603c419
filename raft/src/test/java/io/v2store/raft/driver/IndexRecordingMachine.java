package io.v2store.raft.driver;

import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Snapshot;
import java.util.concurrent.atomic.AtomicLong;

/** A state machine that keeps only the index it last applied, with a one-byte snapshot. */
final class IndexRecordingMachine implements StateMachine {
  final AtomicLong applied = new AtomicLong();

  @Override
  public void applyEntry(long index, byte[] data) {
    applied.set(index);
  }

  @Override
  public void applyConfChange(long index, ConfChange change) {
    applied.set(index);
  }

  @Override
  public byte[] snapshot() {
    return new byte[] {1};
  }

  @Override
  public void restore(Snapshot snapshot) {}
}
