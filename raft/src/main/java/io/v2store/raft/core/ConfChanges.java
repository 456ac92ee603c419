package io.v2store.raft.core;

import io.v2store.raft.Role;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfState;

/** Applies a committed single-member configuration change to the voters and their progress. */
final class ConfChanges {
  private final RaftCore r;

  ConfChanges(RaftCore r) {
    this.r = r;
  }

  ConfState apply(ConfChange cc) {
    long node = cc.getNodeId();
    if (node == RaftCore.NONE) return r.tracker.confState();
    long last = r.log.lastIndex();
    switch (cc.getType()) {
      case CONF_CHANGE_ADD_NODE -> r.tracker.addVoter(node, last);
      case CONF_CHANGE_ADD_LEARNER_NODE -> r.tracker.addLearner(node, last);
      case CONF_CHANGE_REMOVE_NODE -> r.tracker.remove(node);
      case CONF_CHANGE_UPDATE_NODE, UNRECOGNIZED -> {
        return r.tracker.confState();
      }
    }
    if (r.role == Role.LEADER && !r.tracker.voters.contains(r.id)) {
      // A removed leader steps down; the others elect a new one after their timeout.
      r.becomeFollower(r.term, RaftCore.NONE);
      return r.tracker.confState();
    }
    if (r.role == Role.LEADER && !r.tracker.voters.isEmpty()) {
      // The quorum changed: something may commit now, and new members need entries.
      if (r.maybeCommit()) {
        r.replication.bcastAppend();
      } else {
        for (long peer : r.tracker.peersOf(r.id)) r.replication.maybeSendAppend(peer, false);
      }
      if (r.leadTransferee != RaftCore.NONE && !r.tracker.voters.contains(r.leadTransferee)) {
        r.leadTransferee = RaftCore.NONE;
      }
    }
    return r.tracker.confState();
  }
}
