package io.v2store.raft;

import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Message;

/**
 * The pure Raft core: no threads, no I/O, no clock. Not thread-safe: the driver owns it. Inputs
 * are {@link #tick()}, {@link #step(Message)} and the propose/read calls; outputs come out of
 * {@link #ready()} (see {@link Ready} for the ordering contract).
 */
public final class RawNode {

  public RawNode(RaftConfig config, LogStorage storage) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Advances logical time by one tick (elections, heartbeats, check-quorum). */
  public void tick() {
    throw new UnsupportedOperationException();
  }

  /** Starts an election now (a one-member group becomes leader at once). */
  public void campaign() {
    throw new UnsupportedOperationException();
  }

  /**
   * Proposes data to be appended to the log. On a follower it is forwarded to the leader as a
   * message. Returns false when the proposal was dropped (no leader known, leadership transfer in
   * progress): the caller answers its client with an error instead of waiting.
   */
  public boolean propose(byte[] data) {
    throw new UnsupportedOperationException();
  }

  /** Proposes a configuration change; false when dropped (another change is pending). */
  public boolean proposeConfChange(ConfChange change) {
    throw new UnsupportedOperationException();
  }

  /** Feeds a message received from a peer. Messages for other ids or stale terms are handled. */
  public void step(Message message) {
    throw new UnsupportedOperationException();
  }

  /**
   * Asks for a linearizable read point. The answer arrives as a {@link ReadState} carrying the
   * same context in a later Ready (possibly none, if leadership is lost: callers time out).
   */
  public void readIndex(byte[] requestContext) {
    throw new UnsupportedOperationException();
  }

  /** Asks the leader to hand leadership to transferee. */
  public void transferLeadership(long transferee) {
    throw new UnsupportedOperationException();
  }

  /** Applies a committed configuration change to the core's view of the voters. */
  public ConfState applyConfChange(ConfChange change) {
    throw new UnsupportedOperationException();
  }

  public boolean hasReady() {
    throw new UnsupportedOperationException();
  }

  public Ready ready() {
    throw new UnsupportedOperationException();
  }

  /** Acknowledges that everything in ready was done as its contract says. */
  public void advance(Ready ready) {
    throw new UnsupportedOperationException();
  }

  public RaftStatus status() {
    throw new UnsupportedOperationException();
  }

  /** The transport could not deliver to id: probe it again later instead of pipelining. */
  public void reportUnreachable(long id) {
    throw new UnsupportedOperationException();
  }

  /** A snapshot send to id finished (failed=false) or failed. */
  public void reportSnapshot(long id, boolean failed) {
    throw new UnsupportedOperationException();
  }
}
