package io.v2store.raft.driver;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Snapshot;

/** A state machine that does nothing: tests override the one method they watch. */
class InertMachine implements StateMachine {
  @Override
  public void applyEntry(long index, ByteString data) {}

  @Override
  public void applyConfChange(long index, ConfChange change) {}

  @Override
  public byte[] snapshot() {
    return new byte[0];
  }

  @Override
  public void restore(Snapshot snapshot) {}
}
