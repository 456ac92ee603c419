package io.v2store.raft.transport;

import java.util.function.LongConsumer;

/**
 * What the transport reports back to the driver, which feeds it to the Raft core
 * ({@code reportUnreachable}, {@code reportSnapshot}). Called from network threads: must not block.
 */
public interface PeerEvents {

  /** A message to peerId was dropped (not connected, queue full, or the write failed). */
  void unreachable(long peerId);

  /** A MSG_SNAP to peerId was written to the connection (failed=false) or lost (failed=true). */
  default void snapshotSent(long peerId, boolean failed) {}

  /**
   * Every message of one read from a peer's connection has been handed to inbound, on this same
   * thread: a receiver that holds messages back while a read lasts may act on them now, as one.
   */
  default void readComplete() {}

  /**
   * peerId refused us because this member was removed from the cluster: a member removed while
   * it was down learns it only this way, never from its own log.
   */
  default void removedFromCluster(long peerId) {}

  static PeerEvents of(LongConsumer unreachable) {
    return unreachable::accept;
  }
}
