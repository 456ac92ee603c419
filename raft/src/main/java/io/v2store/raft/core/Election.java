package io.v2store.raft.core;

import com.google.protobuf.ByteString;
import io.v2store.raft.Role;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;

/** Campaigns, votes and the candidate's step function (Raft paper 5.2 and 5.4.1, thesis 9.6). */
final class Election {
  private static final ByteString TRANSFER_CONTEXT = ByteString.copyFromUtf8("CampaignTransfer");

  private final RaftCore r;

  Election(RaftCore r) {
    this.r = r;
  }

  static boolean isTransferCampaign(Message m) {
    return m.getContext().equals(TRANSFER_CONTEXT);
  }

  void hup(CampaignType type) {
    if (r.role == Role.LEADER) return;
    if (!r.promotable()) return;
    // A pending configuration change might change who votes: settle it before campaigning.
    if (r.log.committed > r.log.applied
        && r.log.hasConfChangeIn(r.log.applied, r.log.committed, r.config.maxSizePerMsgBytes())) {
      return;
    }
    campaign(type);
  }

  void campaign(CampaignType type) {
    long voteTerm;
    MessageType voteType;
    if (type == CampaignType.PRE_ELECTION) {
      r.becomePreCandidate();
      voteType = MessageType.MSG_PRE_VOTE;
      voteTerm = r.term + 1; // the term we would have: our own stays put
    } else {
      r.becomeCandidate();
      voteType = MessageType.MSG_VOTE;
      voteTerm = r.term;
    }
    if (poll(r.id, true) == VoteResult.WON) {
      // a single voter wins at once
      if (type == CampaignType.PRE_ELECTION) campaign(CampaignType.ELECTION);
      else r.becomeLeader();
      return;
    }
    IndexTerm last = r.log.last();
    for (long voter : r.tracker.voters) {
      if (voter == r.id) continue;
      Message.Builder m = Message.newBuilder().setTo(voter).setTerm(voteTerm).setType(voteType)
          .setIndex(last.index()).setLogTerm(last.term());
      if (type == CampaignType.TRANSFER) m.setContext(TRANSFER_CONTEXT);
      r.send(m);
    }
  }

  private VoteResult poll(long from, boolean granted) {
    r.tracker.recordVote(from, granted);
    return r.tracker.tallyVotes();
  }

  /** MSG_VOTE / MSG_PRE_VOTE at a term >= ours (lower terms were answered before). */
  void handleVoteRequest(Message m) {
    boolean canVote = r.vote == m.getFrom()
        || (r.vote == RaftCore.NONE && r.lead == RaftCore.NONE)
        || (m.getType() == MessageType.MSG_PRE_VOTE && m.getTerm() > r.term);
    MessageType respType = m.getType() == MessageType.MSG_VOTE
        ? MessageType.MSG_VOTE_RESP : MessageType.MSG_PRE_VOTE_RESP;
    if (canVote && r.log.isUpToDate(m.getIndex(), m.getLogTerm())) {
      // The response carries the candidate's term so a pre-candidate can count it.
      r.send(Message.newBuilder().setTo(m.getFrom()).setTerm(m.getTerm()).setType(respType));
      if (m.getType() == MessageType.MSG_VOTE) {
        r.electionElapsed = 0;
        r.vote = m.getFrom();
      }
    } else {
      r.send(Message.newBuilder().setTo(m.getFrom()).setTerm(r.term).setType(respType)
          .setReject(true));
    }
  }

  /** The step function of CANDIDATE and PRE_CANDIDATE. */
  boolean stepCandidate(Message m) {
    MessageType myVoteResp = r.role == Role.PRE_CANDIDATE
        ? MessageType.MSG_PRE_VOTE_RESP : MessageType.MSG_VOTE_RESP;
    switch (m.getType()) {
      case MSG_PROP, MSG_READ_INDEX, MSG_TRANSFER_LEADER -> {
        return false; // no leader to take it
      }
      case MSG_APP -> {
        r.becomeFollower(m.getTerm(), m.getFrom());
        r.followerLog.handleAppendEntries(m);
      }
      case MSG_HEARTBEAT -> {
        r.becomeFollower(m.getTerm(), m.getFrom());
        r.followerLog.handleHeartbeat(m);
      }
      case MSG_SNAP -> {
        r.becomeFollower(m.getTerm(), m.getFrom());
        r.followerLog.handleSnapshot(m);
      }
      default -> {
        if (m.getType() != myVoteResp) return true;
        VoteResult result = poll(m.getFrom(), !m.getReject());
        if (result == VoteResult.WON) {
          if (r.role == Role.PRE_CANDIDATE) {
            campaign(CampaignType.ELECTION);
          } else {
            r.becomeLeader();
            r.replication.bcastAppend();
          }
        } else if (result == VoteResult.LOST) {
          // a pre-vote loss must not bump our term: become follower at the current one
          r.becomeFollower(r.term, RaftCore.NONE);
        }
      }
    }
    return true;
  }
}
