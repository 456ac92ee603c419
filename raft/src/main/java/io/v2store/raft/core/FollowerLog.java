package io.v2store.raft.core;

import io.v2store.raft.Role;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;

/** The follower's side of replication: AppendEntries, heartbeats and snapshots from the leader. */
final class FollowerLog {
  private final RaftCore r;

  FollowerLog(RaftCore r) {
    this.r = r;
  }

  void handleAppendEntries(Message m) {
    if (m.getIndex() < r.log.committed) {
      // Everything up to our commit already matches the leader's log (it is committed).
      reply(m, Message.newBuilder().setIndex(r.log.committed));
      return;
    }
    long lastNew = r.log.maybeAppend(m.getIndex(), m.getLogTerm(), m.getCommit(),
        m.getEntriesList());
    if (lastNew >= 0) {
      reply(m, Message.newBuilder().setIndex(lastNew));
      return;
    }
    // Our log does not match at m.index: hint the largest index whose term could still match.
    long hintIndex = Math.min(m.getIndex(), r.log.lastIndex());
    IndexTerm hint = r.log.findConflictByTerm(hintIndex, m.getLogTerm());
    reply(m, Message.newBuilder().setIndex(m.getIndex()).setReject(true)
        .setRejectHint(hint.index()).setLogTerm(hint.term()));
  }

  void handleHeartbeat(Message m) {
    r.log.commitTo(m.getCommit());
    r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MSG_HEARTBEAT_RESP)
        .setContext(m.getContext()).setLeaseTick(m.getLeaseTick()));
  }

  void handleSnapshot(Message m) {
    if (restore(m.getSnapshot())) {
      reply(m, Message.newBuilder().setIndex(r.log.lastIndex()));
    } else {
      reply(m, Message.newBuilder().setIndex(r.log.committed));
    }
  }

  private void reply(Message m, Message.Builder resp) {
    r.send(resp.setTo(m.getFrom()).setType(MessageType.MSG_APP_RESP));
  }

  /** Installs a snapshot that is ahead of our commit index; false if it was not needed. */
  private boolean restore(Snapshot s) {
    long index = s.getMetadata().getIndex();
    long term = s.getMetadata().getTerm();
    if (index <= r.log.committed) return false;
    if (r.role != Role.FOLLOWER) {
      // defensive, as etcd: only a follower installs snapshots
      r.becomeFollower(r.term + 1, RaftCore.NONE);
      return false;
    }
    if (r.log.matchTerm(index, term)) {
      // We already hold the entry: just fast-forward the commit.
      r.log.commitTo(index);
      return false;
    }
    r.log.restore(s);
    r.tracker.resetTo(s.getMetadata().getConfState(), r.log.lastIndex());
    return true;
  }
}
