package io.v2store.raft;

import com.google.protobuf.ByteString;
import io.v2store.raft.core.RaftCore;
import io.v2store.raft.core.ReadyCycle;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;

/**
 * The pure Raft core: no threads, no I/O, no clock. Not thread-safe: the driver owns it. Inputs
 * are {@link #tick()}, {@link #step(Message)} and the propose/read calls; outputs come out of
 * {@link #ready()} (see {@link Ready} for the ordering contract).
 *
 * <p>One Ready is outstanding at a time: after {@link #ready()}, {@link #hasReady()} is false and
 * {@link #ready()} throws until {@link #advance(Ready)}. Inputs may still be fed meanwhile; what
 * they produce comes out in the next Ready.
 */
public final class RawNode {
  private final RaftCore core;
  private final ReadyCycle cycle;

  public RawNode(RaftConfig config, LogStorage storage) {
    this.core = new RaftCore(config, storage);
    this.cycle = new ReadyCycle(core);
  }

  /** Advances logical time by one tick (elections, heartbeats, check-quorum). */
  public void tick() {
    core.tick();
  }

  /**
   * Several ticks at once, for time that passed while the caller could not tick (a stall), given
   * after the messages that arrived meanwhile: a leader takes them all, a follower only one (see
   * RaftCore.tickAfterStall).
   */
  public void tickAfterStall(long ticks) {
    core.tickAfterStall(ticks);
  }

  /** See RaftCore.advanceElectionTicks: a fresh member's first campaign, brought forward. */
  public boolean advanceElectionTicks(long ticks) {
    return core.advanceElectionTicks(ticks);
  }

  /**
   * Starts an election now (a one-member group becomes leader at once). Does nothing while a
   * committed configuration change is not applied yet, as etcd.
   */
  public void campaign() {
    core.step(Message.newBuilder().setType(MessageType.MSG_HUP).build());
  }

  /**
   * Proposes data to be appended to the log. On a follower it is forwarded to the leader as a
   * message. Returns false when the proposal was dropped (no leader known, leadership transfer in
   * progress): the caller answers its client with an error instead of waiting.
   */
  public boolean propose(byte[] data) {
    return core.step(proposal(Entry.newBuilder().setType(EntryType.ENTRY_NORMAL)
        .setData(ByteString.copyFrom(data)).build()));
  }

  /**
   * Proposes normal entries (data only: term and index are the core's) in one message, so that a
   * leader appends and replicates them together. Returns false when all were dropped.
   */
  public boolean propose(java.util.List<Entry> entries) {
    if (entries.isEmpty()) return true;
    for (Entry e : entries) {
      if (e.getType() != EntryType.ENTRY_NORMAL) {
        throw new IllegalArgumentException("only normal entries are proposed in a batch");
      }
    }
    return core.step(Message.newBuilder().setType(MessageType.MSG_PROP).addAllEntries(entries)
        .build());
  }

  /** Proposes a configuration change; false when dropped (another change is pending). */
  public boolean proposeConfChange(ConfChange change) {
    return core.step(proposal(Entry.newBuilder().setType(EntryType.ENTRY_CONF_CHANGE)
        .setData(change.toByteString()).build()));
  }

  private static Message proposal(Entry entry) {
    return Message.newBuilder().setType(MessageType.MSG_PROP).addEntries(entry).build();
  }

  /**
   * Feeds a message received from a peer. Messages for other ids, local-only types and responses
   * from unknown members are ignored; stale terms are handled by the algorithm.
   */
  public void step(Message message) {
    if (message.getTo() != 0 && message.getTo() != core.id()) return;
    if (isLocalOnly(message.getType())) return;
    core.step(message);
  }

  private static boolean isLocalOnly(MessageType type) {
    return switch (type) {
      case MSG_HUP, MSG_BEAT, MSG_UNREACHABLE, MSG_SNAP_STATUS, MSG_CHECK_QUORUM -> true;
      default -> false;
    };
  }

  /**
   * Asks for a linearizable read point. The answer arrives as a {@link ReadState} carrying the
   * same context in a later Ready (possibly none, if leadership is lost: callers time out).
   */
  public void readIndex(byte[] requestContext) {
    core.step(Message.newBuilder().setType(MessageType.MSG_READ_INDEX)
        .setContext(ByteString.copyFrom(requestContext)).build());
  }

  /** Asks the leader to hand leadership to transferee. */
  public void transferLeadership(long transferee) {
    core.step(Message.newBuilder().setType(MessageType.MSG_TRANSFER_LEADER)
        .setFrom(transferee).build());
  }

  /** Applies a committed configuration change to the core's view of the voters. */
  public ConfState applyConfChange(ConfChange change) {
    return core.applyConfChange(change);
  }

  /**
   * The driver's ticks are behind real time until it calls {@link #resumeLease()}: meanwhile the
   * leader lease is not trusted and reads take a heartbeat round.
   */
  public void suspendLease() {
    core.suspendLease(true);
  }

  public void resumeLease() {
    core.suspendLease(false);
  }

  /**
   * For how many more ticks this leader's lease holds (0 when it does not, or when reads must
   * take a round for another reason). While it holds, the commit index is the newest in the
   * cluster, so a driver may answer reads from it without stepping them.
   */
  public long leaseTicksLeft() {
    return core.leaseTicksLeft();
  }

  public boolean hasReady() {
    return cycle.hasReady();
  }

  public Ready ready() {
    return cycle.ready();
  }

  /** Acknowledges that everything in ready was done as its contract says. */
  public void advance(Ready ready) {
    cycle.advance(ready);
  }

  public RaftStatus status() {
    return new RaftStatus(core.id(), core.term(), core.lead(), core.role(), core.committed(),
        core.applied(), core.lastIndex());
  }

  /** The whole state, for diagnostics (per-member progress on the leader): not for hot paths. */
  public RaftDetail detail() {
    return core.detail();
  }

  /** The transport could not deliver to id: probe it again later instead of pipelining. */
  public void reportUnreachable(long id) {
    core.step(Message.newBuilder().setType(MessageType.MSG_UNREACHABLE).setFrom(id).build());
  }

  /** A snapshot send to id finished (failed=false) or failed. */
  public void reportSnapshot(long id, boolean failed) {
    core.step(Message.newBuilder().setType(MessageType.MSG_SNAP_STATUS).setFrom(id)
        .setReject(failed).build());
  }
}
