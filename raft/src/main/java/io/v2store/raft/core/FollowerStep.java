package io.v2store.raft.core;

import io.v2store.raft.ReadState;
import io.v2store.raft.pb.Message;

/** The follower's step function: take the leader's word, forward what only a leader can do. */
final class FollowerStep {
  private final RaftCore r;

  FollowerStep(RaftCore r) {
    this.r = r;
  }

  boolean step(Message m) {
    switch (m.getType()) {
      case MSG_PROP, MSG_TRANSFER_LEADER, MSG_READ_INDEX -> {
        return forwardToLeader(m);
      }
      case MSG_APP -> {
        heardFromLeader(m);
        r.followerLog.handleAppendEntries(m);
      }
      case MSG_HEARTBEAT -> {
        heardFromLeader(m);
        r.followerLog.handleHeartbeat(m);
      }
      case MSG_SNAP -> {
        heardFromLeader(m);
        r.followerLog.handleSnapshot(m);
      }
      case MSG_TIMEOUT_NOW -> r.election.hup(CampaignType.TRANSFER);
      case MSG_READ_INDEX_RESP -> r.outbox.addReadState(
          new ReadState(m.getIndex(), m.getContext().toByteArray()));
      default -> {
        // responses meant for a leader or candidate we no longer are
      }
    }
    return true;
  }

  private void heardFromLeader(Message m) {
    r.electionElapsed = 0;
    r.lead = m.getFrom();
  }

  private boolean forwardToLeader(Message m) {
    if (r.lead == RaftCore.NONE) return false;
    r.send(m.toBuilder().setTo(r.lead));
    return true;
  }
}
