package io.v2store.raft.core;

import io.v2store.raft.InitialState;
import io.v2store.raft.LogStorage;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RaftDetail;
import io.v2store.raft.Role;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.Collections;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The state of one Raft member and the role changes between follower, candidate and leader (etcd's
 * {@code raft.go}). What each role does with a message lives in {@link FollowerStep},
 * {@link Election} and {@link LeaderStep}; replication, reads and transfers in their own classes.
 */
public final class RaftCore {
  static final long NONE = 0;

  final long id;
  final RaftConfig config;
  final RaftLog log;
  final ProgressTracker tracker;
  final Outbox outbox = new Outbox();
  private final Random random;

  long term;
  long vote;
  long lead;
  Role role = Role.FOLLOWER;
  int electionElapsed;
  int heartbeatElapsed;
  int randomizedElectionTimeout;
  long leadTransferee;
  /** The log index of the last configuration change proposed; a new one waits until it applies. */
  long pendingConfIndex;

  final Replication replication;
  final FollowerLog followerLog;
  final Election election;
  final LeaderStep leaderStep;
  final FollowerStep followerStep;
  final ReadIndex readIndex;
  final LeaderLease lease;
  final ConfChanges confChanges;

  public RaftCore(RaftConfig config, LogStorage storage) {
    this.config = config;
    this.id = config.id();
    this.random = new Random(config.randomSeed());
    this.log = new RaftLog(storage);
    this.tracker = new ProgressTracker(config.maxInflightMsgs(), config.maxInflightBytes());
    this.replication = new Replication(this);
    this.followerLog = new FollowerLog(this);
    this.election = new Election(this);
    this.leaderStep = new LeaderStep(this);
    this.followerStep = new FollowerStep(this);
    this.readIndex = new ReadIndex(this);
    this.confChanges = new ConfChanges(this);

    InitialState initial = storage.initialState();
    ConfState cs = initial.confState() == null ? ConfState.getDefaultInstance() : initial.confState();
    tracker.resetTo(cs, log.lastIndex());
    HardState hs = initial.hardState();
    if (hs != null) loadHardState(hs);
    this.lease = new LeaderLease(this, term > 0);
    if (config.appliedIndex() > 0) log.appliedTo(config.appliedIndex());
    becomeFollower(term, NONE);
  }

  private void loadHardState(HardState hs) {
    if (hs.getCommit() > log.lastIndex()) {
      throw new IllegalStateException("hard state commit " + hs.getCommit() + " is out of range ["
          + log.committed + ", " + log.lastIndex() + "]");
    }
    // A commit below the log's snapshot: the member stopped after installing a leader's snapshot
    // and before saving the hard state of the same Ready. A snapshot holds only committed entries,
    // so the commit index starts at its index (log.committed) instead.
    log.committed = Math.max(hs.getCommit(), log.committed);
    term = hs.getTerm();
    vote = hs.getVote();
  }

  // ---- role changes ----

  void becomeFollower(long newTerm, long newLead) {
    reset(newTerm);
    lead = newLead;
    role = Role.FOLLOWER;
  }

  void becomePreCandidate() {
    if (role == Role.LEADER) throw new IllegalStateException("leader cannot become pre-candidate");
    // A pre-candidate changes neither term nor vote: it only asks whether it could win.
    tracker.resetVotes();
    lead = NONE;
    role = Role.PRE_CANDIDATE;
  }

  void becomeCandidate() {
    if (role == Role.LEADER) throw new IllegalStateException("leader cannot become candidate");
    reset(term + 1);
    vote = id;
    role = Role.CANDIDATE;
  }

  void becomeLeader() {
    if (role == Role.FOLLOWER) throw new IllegalStateException("follower cannot become leader");
    reset(term);
    lead = id;
    role = Role.LEADER;
    lease.reset();
    Progress self = tracker.get(id);
    self.becomeReplicate();
    self.recentActive = true;
    // Entries of earlier terms commit only with one of ours (5.4.2); conf changes wait for it too.
    pendingConfIndex = log.lastIndex();
    leaderStep.appendEntries(java.util.List.of(io.v2store.raft.pb.Entry.getDefaultInstance()));
  }

  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = NONE;
    }
    lead = NONE;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    leadTransferee = NONE;
    tracker.resetVotes();
    long last = log.lastIndex();
    for (long peer : new java.util.ArrayList<>(tracker.progress.keySet())) {
      Progress p = tracker.fresh(peer, last);
      if (peer == id) p.match = last;
    }
    pendingConfIndex = 0;
    readIndex.reset();
  }

  boolean promotable() {
    return tracker.voters.contains(id) && log.unstable.snapshot() == null;
  }

  // ---- inputs ----

  public void tick() {
    lease.tick();
    if (role == Role.LEADER) tickHeartbeat();
    else tickElection();
  }

  /**
   * Ticks that fell due while this core's holder could not run (a long fsync, a blocked apply
   * queue, a pause), given after the messages that queued meanwhile. A leader takes them all:
   * check-quorum and its lease must not run behind real time, and the acknowledgements that
   * queued were stepped first. A follower or candidate takes one, as etcd's core does behind Go's
   * ticker, which drops the ticks a stalled receiver missed: the stall is its own silence, not
   * necessarily its leader's, whose heartbeats may still wait in a socket when a paused process
   * wakes. Counted, the stall would start an election the leader's next heartbeat shows needless
   * (without pre-vote, a new term that deposes it). Fewer ticks only delay this member's campaign
   * and its granting of votes, the safe side of the leader lease; if the leader is gone, it
   * campaigns an election timeout after the stall.
   *
   * <p>Past the stall's first election timeout, though, a follower that had answered the last
   * heartbeat sent before the stall counts as active: the later timeouts would judge it by
   * answers to heartbeats the leader never sent (it was stalled). Without this, a cluster whose
   * members were all paused together (one host's pause, or, at an election timeout of a few
   * milliseconds, a busy machine's scheduling) lost its leader on waking each time, where etcd's,
   * behind Go's ticker, keeps it. A follower whose last answer is missing is judged as before.
   */
  public void tickAfterStall(long ticks) {
    if (role != Role.LEADER) {
      if (ticks > 0) tick();
      return;
    }
    long sentBefore = replication.lastHeartbeatStamp;
    boolean checked = false;
    for (long n = ticks; n > 0; n--) {
      boolean checksQuorum = role == Role.LEADER && electionElapsed + 1 >= config.electionTicks();
      if (checksQuorum && checked) {
        for (var e : tracker.progress.entrySet()) {
          if (e.getValue().leaseAckTick >= sentBefore && sentBefore > 0) e.getValue().recentActive = true;
        }
      }
      tick();
      if (checksQuorum) checked = true;
    }
  }

  /**
   * etcd's --initial-election-tick-advance: a member that has just started, with its peers
   * connected, campaigns after about two ticks plus the random part of its timeout instead of
   * a whole randomized election timeout. Only a follower that has heard of no leader is moved,
   * and never so far that it campaigns without a tick; a leader's heartbeat, which reaches it
   * within a tick, still puts it back at zero. A restarted member inside its startup lease is
   * left alone: it refuses votes for that timeout, as its peers that restarted with it do, so an
   * early campaign would only fail and start its timer over. The lease's own clock is not moved.
   * Returns whether the timer was moved.
   */
  public boolean advanceElectionTicks(long ticks) {
    if (role != Role.FOLLOWER || lead != NONE || lease.inStartupLease() || ticks <= 0) {
      return false;
    }
    electionElapsed = (int) Math.min(electionElapsed + ticks, randomizedElectionTimeout - 1L);
    return true;
  }

  private void tickElection() {
    electionElapsed++;
    if (promotable() && electionElapsed >= randomizedElectionTimeout) {
      electionElapsed = 0;
      step(local(MessageType.MSG_HUP));
    }
  }

  private void tickHeartbeat() {
    heartbeatElapsed++;
    electionElapsed++;
    if (electionElapsed >= config.electionTicks()) {
      electionElapsed = 0;
      if (config.checkQuorum()) step(local(MessageType.MSG_CHECK_QUORUM));
      if (role == Role.LEADER && leadTransferee != NONE) leadTransferee = NONE; // transfer timed out
    }
    if (role != Role.LEADER) return;
    if (heartbeatElapsed >= config.heartbeatTicks()) {
      heartbeatElapsed = 0;
      step(local(MessageType.MSG_BEAT));
    }
  }

  private Message local(MessageType type) {
    return Message.newBuilder().setType(type).setFrom(id).build();
  }

  /**
   * Handles any message, local or from a peer. Returns false only when a proposal (or a read or
   * transfer that needs a leader) was dropped.
   */
  public boolean step(Message m) {
    if (m.getTerm() == 0) {
      // local message, or a forwarded proposal / read: no term to compare
    } else if (m.getTerm() > term) {
      if (isVoteRequest(m.getType())) {
        boolean force = Election.isTransferCampaign(m);
        boolean inLease = config.checkQuorum() && (lead != NONE
            && electionElapsed < config.electionTicks() || lease.inStartupLease());
        // The leader lease: while we hear from a live leader, a disruptive candidate is ignored.
        if (!force && inLease) return true;
      }
      if (m.getType() == MessageType.MSG_PRE_VOTE) {
        // never change term in response to a pre-vote
      } else if (m.getType() == MessageType.MSG_PRE_VOTE_RESP && !m.getReject()) {
        // a granted pre-vote carries the term we would campaign at, not a newer leader's term
      } else if (m.getType() == MessageType.MSG_APP || m.getType() == MessageType.MSG_HEARTBEAT
          || m.getType() == MessageType.MSG_SNAP) {
        becomeFollower(m.getTerm(), m.getFrom());
      } else {
        becomeFollower(m.getTerm(), NONE);
      }
    } else if (m.getTerm() < term) {
      stepStale(m);
      return true;
    }

    switch (m.getType()) {
      case MSG_HUP -> election.hup(config.preVote() ? CampaignType.PRE_ELECTION
          : CampaignType.ELECTION);
      case MSG_VOTE, MSG_PRE_VOTE -> election.handleVoteRequest(m);
      default -> {
        return switch (role) {
          case LEADER -> leaderStep.step(m);
          case CANDIDATE, PRE_CANDIDATE -> election.stepCandidate(m);
          case FOLLOWER -> followerStep.step(m);
        };
      }
    }
    return true;
  }

  private void stepStale(Message m) {
    if ((config.checkQuorum() || config.preVote())
        && (m.getType() == MessageType.MSG_HEARTBEAT || m.getType() == MessageType.MSG_APP)) {
      // A leader cut off by a partition learns our newer term from this and steps down; without
      // it, with pre-vote or check-quorum our term would never reach it.
      send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MSG_APP_RESP));
    } else if (m.getType() == MessageType.MSG_PRE_VOTE) {
      send(Message.newBuilder().setTo(m.getFrom()).setTerm(term)
          .setType(MessageType.MSG_PRE_VOTE_RESP).setReject(true));
    }
  }

  static boolean isVoteRequest(MessageType t) {
    return t == MessageType.MSG_VOTE || t == MessageType.MSG_PRE_VOTE;
  }

  /** Queues a message, stamping sender and term as etcd's {@code send} does. */
  void send(Message.Builder m) {
    if (m.getFrom() == NONE) m.setFrom(id);
    MessageType t = m.getType();
    if (t == MessageType.MSG_VOTE || t == MessageType.MSG_VOTE_RESP
        || t == MessageType.MSG_PRE_VOTE || t == MessageType.MSG_PRE_VOTE_RESP) {
      if (m.getTerm() == 0) throw new IllegalStateException("vote message without a term: " + t);
    } else if (t != MessageType.MSG_PROP && t != MessageType.MSG_READ_INDEX) {
      // proposals and reads forwarded to the leader act as local messages there: no term
      m.setTerm(term);
    }
    outbox.add(m.build());
  }

  /** Commits what a quorum holds; on the first commit of our term, released reads may proceed. */
  boolean maybeCommit() {
    boolean committed = log.maybeCommit(tracker.committed(), term);
    if (committed) readIndex.onCommit();
    return committed;
  }

  /** See RawNode.leaseTicksLeft. */
  public long leaseTicksLeft() {
    return lease.ticksLeft();
  }

  /** See RawNode.suspendLease. */
  public void suspendLease(boolean on) {
    lease.suspend(on);
  }

  boolean committedEntryInCurrentTerm() {
    return log.termOrZero(log.committed) == term;
  }

  public io.v2store.raft.pb.ConfState applyConfChange(io.v2store.raft.pb.ConfChange cc) {
    return confChanges.apply(cc);
  }

  // ---- read-only views for RawNode ----

  public long id() {
    return id;
  }

  public long term() {
    return term;
  }

  public long vote() {
    return vote;
  }

  public long lead() {
    return lead;
  }

  public Role role() {
    return role;
  }

  public long committed() {
    return log.committed;
  }

  public long applied() {
    return log.applied;
  }

  public long lastIndex() {
    return log.lastIndex();
  }

  /** The whole state for diagnostics; the progress of each member on the leader only. */
  public RaftDetail detail() {
    Map<Long, RaftDetail.PeerProgress> members = new TreeMap<>();
    if (role == Role.LEADER) {
      tracker.progress.forEach((member, p) -> members.put(member,
          new RaftDetail.PeerProgress(p.match, p.next, p.state.etcdName())));
    }
    return new RaftDetail(id, term, vote, lead, role, log.committed, log.applied,
        Collections.unmodifiableMap(members), leadTransferee);
  }

  public HardState hardState() {
    return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(log.committed).build();
  }
}
