package io.v2store.raft.sim;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.SnapshotTemporarilyUnavailableException;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.Snapshot;
import java.nio.ByteBuffer;

/**
 * One simulated member: its disk (a MemoryLog that survives crashes), its core (lost in a crash)
 * and a state machine that is a hash chain over the applied entries, so two members agree on the
 * state at an index exactly when they applied the same entries up to it.
 */
final class SimNode {
  final long id;
  final MemoryLog disk;
  private final long seed;
  private final long[] voters;
  RawNode raft;
  boolean up;
  long appliedIndex;
  long stateHash;
  private int incarnation;

  SimNode(long id, long[] voters, long seed) {
    this.id = id;
    this.voters = voters;
    this.seed = seed;
    this.disk = MemoryLog.withVoters(voters);
    start();
  }

  /** Starts a fresh core from what is on disk, as a restarted process would. */
  void start() {
    appliedIndex = 0;
    stateHash = 0;
    try {
      Snapshot snap = disk.snapshot();
      ByteBuffer state = snap.getData().asReadOnlyByteBuffer();
      appliedIndex = state.getLong();
      stateHash = state.getLong();
    } catch (SnapshotTemporarilyUnavailableException none) {
      // nothing applied before the first entry
    }
    RaftConfig config = new RaftConfig(id, 10, 1, true, true, 4096, 8, 64 << 10, appliedIndex,
        seed * 31 + id * 1_000 + incarnation++);
    raft = new RawNode(config, disk);
    up = true;
  }

  void crash() {
    up = false;
    raft = null;
  }

  void apply(Entry e) {
    if (e.getIndex() != appliedIndex + 1) {
      throw new AssertionError("member " + id + " applies " + e.getIndex() + " after " + appliedIndex);
    }
    appliedIndex = e.getIndex();
    stateHash = chain(stateHash, e);
  }

  static long chain(long hash, Entry e) {
    long h = hash ^ (e.getTerm() * 0x9E3779B97F4A7C15L) ^ e.getIndex() ^ e.getData().hashCode();
    return h * 0x100000001B3L + 17;
  }

  void restoreState(Snapshot snap) {
    ByteBuffer state = snap.getData().asReadOnlyByteBuffer();
    appliedIndex = state.getLong();
    stateHash = state.getLong();
  }

  byte[] encodeState() {
    return ByteBuffer.allocate(16).putLong(appliedIndex).putLong(stateHash).array();
  }

  long[] voters() {
    return voters;
  }
}
