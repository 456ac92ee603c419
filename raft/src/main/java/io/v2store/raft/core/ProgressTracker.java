package io.v2store.raft.core;

import io.v2store.raft.pb.ConfState;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who votes, who learns, and the leader's progress for each (etcd's {@code tracker/tracker.go}).
 * Sorted collections keep iteration, and so message order, deterministic.
 */
final class ProgressTracker {
  private final int maxInflightMsgs;
  private final long maxInflightBytes;
  final TreeSet<Long> voters = new TreeSet<>();
  final TreeSet<Long> learners = new TreeSet<>();
  final TreeMap<Long, Progress> progress = new TreeMap<>();
  final TreeMap<Long, Boolean> votes = new TreeMap<>();

  ProgressTracker(int maxInflightMsgs, long maxInflightBytes) {
    this.maxInflightMsgs = maxInflightMsgs;
    this.maxInflightBytes = maxInflightBytes;
  }

  /** Replaces the configuration (restart, snapshot) with fresh progress for everyone. */
  void resetTo(ConfState cs, long lastIndex) {
    voters.clear();
    learners.clear();
    progress.clear();
    for (long id : cs.getVotersList()) addVoter(id, lastIndex);
    for (long id : cs.getLearnersList()) addLearner(id, lastIndex);
  }

  void addVoter(long id, long lastIndex) {
    learners.remove(id);
    voters.add(id);
    Progress old = progress.get(id);
    Progress p = newProgress(lastIndex, false);
    if (old != null) {
      p.match = old.match;
      p.next = old.next;
    }
    progress.put(id, p);
  }

  void addLearner(long id, long lastIndex) {
    if (voters.contains(id)) return; // etcd refuses to demote directly; keep the voter
    learners.add(id);
    progress.putIfAbsent(id, newProgress(lastIndex, true));
  }

  void remove(long id) {
    voters.remove(id);
    learners.remove(id);
    progress.remove(id);
  }

  private Progress newProgress(long lastIndex, boolean learner) {
    // A new member is probed from the end of our log and counted active so it may get a snapshot.
    Progress p = new Progress(0, Math.max(lastIndex, 1), maxInflightMsgs, maxInflightBytes, learner);
    p.recentActive = true;
    return p;
  }

  Progress get(long id) {
    return progress.get(id);
  }

  Progress fresh(long id, long lastIndex) {
    Progress p = new Progress(0, lastIndex + 1, maxInflightMsgs, maxInflightBytes,
        learners.contains(id));
    progress.put(id, p);
    return p;
  }

  boolean isSingleton() {
    return voters.size() == 1;
  }

  /** The largest index replicated on a majority of voters. */
  long committed() {
    long[] matches = new long[voters.size()];
    int i = 0;
    for (long id : voters) matches[i++] = progress.get(id).match;
    return Quorum.committedIndex(matches);
  }

  void resetVotes() {
    votes.clear();
  }

  void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  VoteResult tallyVotes() {
    return Quorum.voteResult(voters, votes);
  }

  /** Whether a majority of voters was recently active (self counts as active). */
  boolean quorumActive(long self) {
    Map<Long, Boolean> active = new TreeMap<>();
    for (long id : voters) {
      Progress p = progress.get(id);
      active.put(id, id == self || p.recentActive);
    }
    return Quorum.voteResult(voters, active) == VoteResult.WON;
  }

  SortedSet<Long> peersOf(long self) {
    TreeSet<Long> peers = new TreeSet<>(progress.keySet());
    peers.remove(self);
    return peers;
  }

  ConfState confState() {
    return ConfState.newBuilder().addAllVoters(voters).addAllLearners(learners).build();
  }
}
