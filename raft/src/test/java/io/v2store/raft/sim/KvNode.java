package io.v2store.raft.sim;

import com.google.protobuf.ByteString;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.SnapshotTemporarilyUnavailableException;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated member serving clients: its disk (survives a crash), its core and key-value state
 * (rebuilt from disk on restart) and the client requests waiting on it (lost in a crash, so
 * those clients time out).
 */
final class KvNode {
  /** A quorum read whose read index is known, waiting for the state machine to reach it. */
  record WaitingRead(long index, long opId) {}

  final long id;
  final MemoryLog disk;
  private final long seed;
  RawNode raft;
  KvStateMachine state;
  ConfState confState;
  boolean up;
  /** Removed from the group and shut down for good. */
  boolean removed;
  /** Write operation ids whose clients wait for this member to apply them. */
  final Map<Long, Long> pendingWrites = new HashMap<>();
  /** ReadIndex contexts sent by this member, to the waiting read's operation id. */
  final Map<ByteString, Long> pendingReads = new HashMap<>();
  final List<WaitingRead> waitingReads = new ArrayList<>();
  /**
   * Ticks left in a stall (a long fsync, a pause): the member's holder runs nothing, so it
   * neither ticks nor steps nor handles a Ready, while what is sent to it waits.
   */
  int stallLeft;
  /** Ticks that fell due during the current stall. */
  int stallMissed;
  /** Messages that arrived during the stall, in order. */
  final List<Message> heldDuringStall = new ArrayList<>();
  private int incarnation;

  KvNode(long id, long[] voters, long seed) {
    this.id = id;
    this.seed = seed;
    this.disk = MemoryLog.withVoters(voters);
    start();
  }

  /** Starts a fresh core and state from what is on disk, as a restarted process would. */
  void start() {
    state = new KvStateMachine();
    confState = disk.initialState().confState();
    try {
      Snapshot snap = disk.snapshot();
      state.restore(snap.getData().toByteArray());
      confState = snap.getMetadata().getConfState();
    } catch (SnapshotTemporarilyUnavailableException none) {
      // nothing applied before the first entry
    }
    RaftConfig config = new RaftConfig(id, 10, 1, true, true, 4096, 8, 64 << 10,
        state.appliedIndex, seed * 31 + id * 1_000 + incarnation++);
    raft = new RawNode(config, disk);
    up = true;
  }

  boolean stalled() {
    return stallLeft > 0;
  }

  void crash() {
    up = false;
    stallLeft = 0;
    stallMissed = 0;
    heldDuringStall.clear();
    raft = null;
    pendingWrites.clear();
    pendingReads.clear();
    waitingReads.clear();
  }

  void installSnapshot(Snapshot snap) {
    state.restore(snap.getData().toByteArray());
    confState = snap.getMetadata().getConfState();
  }

  /** Takes a snapshot at the applied index and drops the log before it (maybe keeping a few). */
  void compact(int keep) {
    long applied = state.appliedIndex;
    if (applied <= disk.firstIndex()) return;
    disk.createSnapshot(applied, confState, state.encode());
    disk.compact(Math.max(disk.firstIndex(), applied - keep));
  }
}
