package io.v2store.raft.core;

import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;

/** The leader's step function: proposals, acknowledgements, check-quorum and transfers. */
final class LeaderStep {
  private final RaftCore r;

  LeaderStep(RaftCore r) {
    this.r = r;
  }

  boolean step(Message m) {
    switch (m.getType()) {
      case MSG_BEAT -> {
        r.replication.bcastHeartbeat();
        return true;
      }
      case MSG_CHECK_QUORUM -> {
        checkQuorum();
        return true;
      }
      case MSG_PROP -> {
        return propose(m);
      }
      case MSG_READ_INDEX -> {
        r.readIndex.onRequest(m);
        return true;
      }
      default -> {
        // everything else is about one peer's progress
      }
    }
    Progress pr = r.tracker.get(m.getFrom());
    if (pr == null) return true;
    switch (m.getType()) {
      case MSG_APP_RESP -> r.replication.handleAppendResponse(m, pr);
      case MSG_HEARTBEAT_RESP -> r.replication.handleHeartbeatResponse(m, pr);
      case MSG_SNAP_STATUS -> r.replication.handleSnapshotStatus(m, pr);
      case MSG_UNREACHABLE -> r.replication.handleUnreachable(pr);
      case MSG_TRANSFER_LEADER -> transferLeadership(m.getFrom(), pr);
      default -> {
        // stale or irrelevant for a leader
      }
    }
    return true;
  }

  private void checkQuorum() {
    if (!r.tracker.quorumActive(r.id)) {
      // Cut off from a majority: stop serving as leader (and stop answering reads) at once.
      r.becomeFollower(r.term, RaftCore.NONE);
    }
    for (var e : r.tracker.progress.entrySet()) {
      if (e.getKey() != r.id) e.getValue().recentActive = false;
    }
  }

  private boolean propose(Message m) {
    if (m.getEntriesCount() == 0) throw new IllegalArgumentException("empty proposal");
    if (r.tracker.get(r.id) == null) return false; // we were removed from the group
    if (r.leadTransferee != RaftCore.NONE) return false; // a transfer is in progress
    List<Entry> entries = new ArrayList<>(m.getEntriesList());
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).getType() != EntryType.ENTRY_CONF_CHANGE) continue;
      if (r.pendingConfIndex > r.log.applied) {
        // Only one change at a time: a forwarded one becomes a no-op, a local one is refused.
        if (m.getFrom() == RaftCore.NONE || m.getFrom() == r.id) return false;
        entries.set(i, Entry.newBuilder().setType(EntryType.ENTRY_NORMAL).build());
      } else {
        r.pendingConfIndex = r.log.lastIndex() + i + 1;
      }
    }
    appendEntries(entries);
    r.replication.bcastAppend();
    return true;
  }

  /** Stamps entries with our term and the next indexes, appends and counts our own copy. */
  void appendEntries(List<Entry> entries) {
    long last = r.log.lastIndex();
    List<Entry> stamped = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      stamped.add(entries.get(i).toBuilder().setTerm(r.term).setIndex(last + 1 + i).build());
    }
    long newLast = r.log.append(stamped);
    // Counting our copy before it is durable is safe: anything revealing the new commit index
    // (committed entries, messages) leaves in a later Ready or after this one's persist step.
    r.tracker.get(r.id).maybeUpdate(newLast);
    r.maybeCommit();
  }

  private void transferLeadership(long transferee, Progress pr) {
    if (pr.learner) return;
    if (r.leadTransferee != RaftCore.NONE) {
      if (r.leadTransferee == transferee) return; // already in progress
      r.leadTransferee = RaftCore.NONE;
    }
    if (transferee == r.id) return;
    // The transfer must finish within an election timeout, counted from now.
    r.electionElapsed = 0;
    r.leadTransferee = transferee;
    if (pr.match == r.log.lastIndex()) sendTimeoutNow(transferee);
    else r.replication.sendAppend(transferee);
  }

  void sendTimeoutNow(long to) {
    r.lease.revoke();
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MSG_TIMEOUT_NOW));
  }
}
