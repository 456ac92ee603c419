package io.v2store.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.raft.driver.StateMachine;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Snapshot;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.EtcdException;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import io.v2store.storage.store.RequestApplier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The key space as a Raft state machine: each committed entry is one V2Request; applying it
 * completes the waiting response if this member proposed it.
 */
final class V2StateMachine implements StateMachine {
  private final KeySpace keySpace;
  private final RequestApplier applier;
  private final PendingWrites pending;
  private final Members members;

  V2StateMachine(KeySpace keySpace, PendingWrites pending, Members members) {
    this.keySpace = keySpace;
    this.applier = new RequestApplier(keySpace);
    this.pending = pending;
    this.members = members;
  }

  @Override
  public void applyEntry(long index, byte[] data) {
    if (data.length == 0) return; // a new leader's empty entry
    V2Request request = decode(index, data);
    if (request.getMethod() == V2Request.Method.SYNC) {
      applier.sync(request);
      return;
    }
    try {
      Event event = applier.apply(request);
      pending.succeeded(request.getId(), event);
    } catch (EtcdException refused) {
      pending.failed(request.getId(), refused);
    }
  }

  @Override
  public void applyConfChange(long index, ConfChange change) {
    members.apply(change);
  }

  @Override
  public byte[] snapshot() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    try {
      keySpace.writeSnapshot(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void restore(Snapshot snapshot) {
    try {
      keySpace.restoreSnapshot(snapshot.getData().newInput());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore the key space from snapshot "
          + snapshot.getMetadata().getIndex(), e);
    }
  }

  private static V2Request decode(long index, byte[] data) {
    try {
      return V2Request.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt request in the log at index " + index, e);
    }
  }
}
