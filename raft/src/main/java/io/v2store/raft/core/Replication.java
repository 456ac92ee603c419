package io.v2store.raft.core;

import com.google.protobuf.ByteString;
import io.v2store.raft.LogCompactedException;
import io.v2store.raft.LogUnavailableException;
import io.v2store.raft.SnapshotTemporarilyUnavailableException;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import java.util.List;

/**
 * The leader's side of log replication (paper 5.3): AppendEntries with flow control per follower,
 * heartbeats, snapshots for followers behind the compacted log, and the acknowledgements.
 */
final class Replication {
  private final RaftCore r;

  Replication(RaftCore r) {
    this.r = r;
  }

  void sendAppend(long to) {
    maybeSendAppend(to, true);
  }

  /**
   * Sends the next AppendEntries to a follower unless its flow is paused. With sendIfEmpty false
   * nothing is sent when there are no new entries. Returns whether a message was sent.
   */
  boolean maybeSendAppend(long to, boolean sendIfEmpty) {
    Progress pr = r.tracker.get(to);
    if (pr == null || pr.isPaused()) return false;
    long prevIndex = pr.next - 1;
    long prevTerm;
    try {
      prevTerm = r.log.term(prevIndex);
    } catch (LogCompactedException | LogUnavailableException e) {
      return maybeSendSnapshot(to, pr);
    }
    List<Entry> entries = List.of();
    // A full window sends only empty appends: if every inflight message was lost, the empty one
    // still gets an answer that frees the window.
    if (pr.state != ProgressState.REPLICATE || !pr.inflights.full()) {
      try {
        entries = r.log.slice(pr.next, r.log.lastIndex() + 1, r.config.maxSizePerMsgBytes());
      } catch (LogCompactedException e) {
        return maybeSendSnapshot(to, pr);
      }
    }
    if (entries.isEmpty() && !sendIfEmpty) return false;
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MSG_APP).setIndex(prevIndex)
        .setLogTerm(prevTerm).addAllEntries(entries).setCommit(r.log.committed));
    pr.sentEntries(entries.size(), RaftLog.payloadBytes(entries));
    return true;
  }

  private boolean maybeSendSnapshot(long to, Progress pr) {
    if (!pr.recentActive) return false; // do not ship a snapshot to a member that seems down
    Snapshot snapshot;
    try {
      snapshot = r.log.snapshot();
    } catch (SnapshotTemporarilyUnavailableException e) {
      return false;
    }
    if (snapshot.getMetadata().getIndex() == 0) {
      throw new IllegalStateException("need a snapshot for " + to + " but the log has none");
    }
    pr.becomeSnapshot(snapshot.getMetadata().getIndex());
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MSG_SNAP).setSnapshot(snapshot));
    return true;
  }

  void bcastAppend() {
    for (long peer : r.tracker.peersOf(r.id)) sendAppend(peer);
  }

  void bcastHeartbeat() {
    bcastHeartbeat(r.readIndex.lastPendingContext());
  }

  void bcastHeartbeat(ByteString context) {
    lastHeartbeatStamp = r.lease.stamp();
    for (long peer : r.tracker.peersOf(r.id)) sendHeartbeat(peer, context);
  }

  /** The lease stamp of the last heartbeat round sent (see RaftCore.tickAfterStall). */
  long lastHeartbeatStamp;

  private void sendHeartbeat(long to, ByteString context) {
    // A follower may not have the entries up to our commit yet: never tell it more than it holds.
    long commit = Math.min(r.tracker.get(to).match, r.log.committed);
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MSG_HEARTBEAT).setCommit(commit)
        .setContext(context).setLeaseTick(r.lease.stamp()));
  }

  void handleAppendResponse(Message m, Progress pr) {
    pr.recentActive = true;
    if (m.getReject()) {
      long nextProbe = m.getRejectHint();
      if (m.getLogTerm() > 0) {
        // Skip every entry of ours whose term cannot match the follower's (fast back-off).
        nextProbe = r.log.findConflictByTerm(m.getRejectHint(), m.getLogTerm()).index();
      }
      if (pr.maybeDecrTo(m.getIndex(), nextProbe)) {
        if (pr.state == ProgressState.REPLICATE) pr.becomeProbe();
        sendAppend(m.getFrom());
      }
      return;
    }
    boolean wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.getIndex())
        && !(pr.match == m.getIndex() && pr.state == ProgressState.PROBE)) {
      return;
    }
    switch (pr.state) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        if (pr.match + 1 >= r.log.firstIndex()) {
          pr.becomeProbe();
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.inflights.freeLE(m.getIndex());
    }
    if (r.maybeCommit()) {
      bcastAppend();
    } else if (wasPaused) {
      sendAppend(m.getFrom());
    }
    // The window may have opened by several messages: fill it, without empty appends.
    int bound = r.config.maxInflightMsgs();
    while (bound-- > 0 && maybeSendAppend(m.getFrom(), false)) {
      // keep sending
    }
    if (m.getFrom() == r.leadTransferee && pr.match == r.log.lastIndex()) {
      r.leaderStep.sendTimeoutNow(m.getFrom());
    }
  }

  void handleHeartbeatResponse(Message m, Progress pr) {
    pr.recentActive = true;
    pr.msgAppFlowPaused = false;
    r.lease.onHeartbeatAck(pr, m.getLeaseTick());
    if (pr.match < r.log.lastIndex() || pr.state == ProgressState.PROBE) sendAppend(m.getFrom());
    if (!m.getContext().isEmpty()) r.readIndex.onHeartbeatAck(m.getFrom(), m.getContext());
  }

  void handleSnapshotStatus(Message m, Progress pr) {
    if (pr.state != ProgressState.SNAPSHOT) return;
    if (m.getReject()) pr.pendingSnapshot = 0; // failed: probe from where we were
    pr.becomeProbe();
    // Wait for the follower's answer (or a heartbeat response) before the next append.
    pr.msgAppFlowPaused = true;
  }

  void handleUnreachable(Progress pr) {
    if (pr.state == ProgressState.REPLICATE) pr.becomeProbe();
  }
}
