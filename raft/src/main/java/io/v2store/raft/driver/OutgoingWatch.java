package io.v2store.raft.driver;

import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.List;

/**
 * What the holder of the core learns from the messages it sends, in one pass before the transport
 * has them (the transport may report a snapshot at once, on the same thread): whether heartbeats
 * keep their pace (LateHeartbeats) and how many snapshots are on their way (SnapshotsInFlight).
 * Only the messages sent before the persist step: neither kind is ever among the acknowledgements
 * sent after it.
 */
final class OutgoingWatch {
  private final LateHeartbeats lateHeartbeats;
  private final DriverListener listener;
  final SnapshotsInFlight snapshots = new SnapshotsInFlight();

  OutgoingWatch(long heartbeatIntervalNanos, DriverListener listener) {
    this.lateHeartbeats = new LateHeartbeats(heartbeatIntervalNanos);
    this.listener = listener;
  }

  void sending(List<Message> messages, long nowNanos) {
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m.getType() == MessageType.MSG_HEARTBEAT) {
        long late = lateHeartbeats.sent(m.getTo(), nowNanos);
        if (late > 0) listener.onHeartbeatLate(m.getTo(), late);
      } else if (m.getType() == MessageType.MSG_SNAP) {
        snapshots.sent();
      }
    }
  }

  /** A new leader (or none): the pace is counted afresh. */
  void leaderChanged() {
    lateHeartbeats.reset();
  }
}
