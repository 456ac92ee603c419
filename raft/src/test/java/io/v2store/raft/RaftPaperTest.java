package io.v2store.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tests named by the section of the Raft paper (Ongaro and Ousterhout, 2014) whose rule they
 * check, as etcd's raft_paper_test.go. Pre-vote and check-quorum are off unless said, so the
 * paper's plain algorithm is what runs.
 */
class RaftPaperTest {
  private static RaftConfig plain(long id) {
    return TestNetwork.config(id, false, false);
  }

  private static Entry entry(long index, long term) {
    return Entry.newBuilder().setIndex(index).setTerm(term).build();
  }

  private static Entry entry(long index, long term, String data) {
    return entry(index, term).toBuilder().setData(ByteString.copyFromUtf8(data)).build();
  }

  /** A member of a group of voters 1..3 whose durable log already holds entries. */
  private RawNode withLog(long id, long term, List<Entry> entries) {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    log.save(HardState.newBuilder().setTerm(term).build(), entries, true);
    return register(new RawNode(plain(id), log), log);
  }

  /** The durable log of each node built here, so draining persists as a driver would. */
  private final Map<RawNode, MemoryLog> logs = new IdentityHashMap<>();

  private RawNode register(RawNode node, MemoryLog log) {
    logs.put(node, log);
    return node;
  }

  private RawNode fresh(long id, long... voters) {
    MemoryLog log = MemoryLog.withVoters(voters);
    return register(new RawNode(plain(id), log), log);
  }

  private List<Message> drainMessages(RawNode node) {
    List<Message> out = new ArrayList<>();
    while (node.hasReady()) {
      Ready rd = node.ready();
      out.addAll(rd.messages());
      logs.get(node).save(rd.hardState(), rd.entries(), rd.mustSync());
      out.addAll(rd.messagesAfterPersist());
      node.advance(rd);
    }
    return out;
  }

  private static Message msg(MessageType type, long from, long to, long term) {
    return Message.newBuilder().setType(type).setFrom(from).setTo(to).setTerm(term).build();
  }

  @Test
  void section5_1_anyRoleAdoptsAHigherTermAndBecomesFollower() {
    for (Role start : List.of(Role.FOLLOWER, Role.CANDIDATE, Role.LEADER)) {
      TestNetwork net = TestNetwork.of(3, RaftPaperTest::plain);
      if (start == Role.LEADER) net.campaign(1);
      if (start == Role.CANDIDATE) {
        net.isolate(1);
        net.campaign(1);
      }
      assertEquals(start, net.node(1).status().role());
      net.deliver(msg(MessageType.MSG_APP, 2, 1, 9));
      RaftStatus s = net.node(1).status();
      assertEquals(9, s.term(), start.toString());
      assertEquals(Role.FOLLOWER, s.role());
      assertEquals(2, s.leaderId());
    }
  }

  @Test
  void section5_1_staleTermMessagesAreRejected() {
    RawNode node = withLog(1, 5, List.of());
    drainMessages(node);
    node.step(msg(MessageType.MSG_APP, 2, 1, 4));
    assertEquals(5, node.status().term());
    assertEquals(0, node.status().leaderId());
  }

  @Test
  void section5_2_membersStartAsFollowers() {
    RawNode node = fresh(1, 1, 2, 3);
    assertEquals(Role.FOLLOWER, node.status().role());
    assertEquals(0, node.status().term());
  }

  @Test
  void section5_2_leaderSendsHeartbeatsEveryHeartbeatTimeout() {
    TestNetwork net = TestNetwork.of(3, RaftPaperTest::plain);
    net.campaign(1);
    net.node(1).tick();
    List<Message> sent = net.takeQueued();
    Set<Long> heartbeatsTo = new HashSet<>();
    for (Message m : sent) {
      if (m.getType() == MessageType.MSG_HEARTBEAT) heartbeatsTo.add(m.getTo());
    }
    assertEquals(Set.of(2L, 3L), heartbeatsTo);
  }

  @Test
  void section5_2_followerTimesOutIntoCandidateAndRequestsVotes() {
    RawNode node = fresh(1, 1, 2, 3);
    for (int i = 0; i < 20; i++) node.tick();
    RaftStatus s = node.status();
    assertEquals(Role.CANDIDATE, s.role());
    assertEquals(1, s.term());
    Ready rd = node.ready();
    assertEquals(1, rd.hardState().getVote(), "votes for itself");
    List<Long> asked = new ArrayList<>();
    for (Message m : rd.messages()) {
      assertEquals(MessageType.MSG_VOTE, m.getType());
      assertEquals(1, m.getTerm());
      asked.add(m.getTo());
    }
    assertEquals(List.of(2L, 3L), asked);
  }

  @Test
  void section5_2_candidateWinsWithAMajorityOfVotesInOneRound() {
    // size, granted votes (besides its own), expected role
    record Case(int size, Set<Long> granting, Role expected) {}
    List<Case> cases = List.of(
        new Case(3, Set.of(2L), Role.LEADER),
        new Case(3, Set.of(2L, 3L), Role.LEADER),
        new Case(5, Set.of(2L, 3L), Role.LEADER),
        new Case(5, Set.of(2L), Role.CANDIDATE),
        new Case(5, Set.of(), Role.CANDIDATE),
        new Case(3, Set.of(), Role.CANDIDATE));
    for (Case c : cases) {
      long[] ids = new long[c.size()];
      for (int i = 0; i < ids.length; i++) ids[i] = i + 1;
      RawNode node = fresh(1, ids);
      node.campaign();
      drainMessages(node);
      for (long id : c.granting()) {
        node.step(msg(MessageType.MSG_VOTE_RESP, id, 1, 1));
      }
      assertEquals(c.expected(), node.status().role(), c.toString());
    }
  }

  @Test
  void section5_2_followerVotesAtMostOncePerTerm() {
    RawNode node = fresh(1, 1, 2, 3);
    node.step(msg(MessageType.MSG_VOTE, 2, 1, 1));
    node.step(msg(MessageType.MSG_VOTE, 3, 1, 1));
    node.step(msg(MessageType.MSG_VOTE, 2, 1, 1)); // a retry from the same candidate is granted
    List<Boolean> rejects = new ArrayList<>();
    for (Message m : drainMessages(node)) {
      assertEquals(MessageType.MSG_VOTE_RESP, m.getType());
      rejects.add(m.getReject());
    }
    assertEquals(List.of(false, true, false), rejects);
  }

  @Test
  void section5_2_candidateStepsDownOnAppendFromALeaderOfItsTermOrLater() {
    for (long leaderTerm : new long[] {1, 2}) {
      RawNode node = fresh(1, 1, 2, 3);
      node.campaign();
      node.step(msg(MessageType.MSG_APP, 2, 1, leaderTerm));
      assertEquals(Role.FOLLOWER, node.status().role());
      assertEquals(leaderTerm, node.status().term());
      assertEquals(2, node.status().leaderId());
    }
  }

  @Test
  void section5_2_electionTimeoutsAreRandomizedWithinOneToTwoTimeouts() {
    Set<Integer> timeouts = new HashSet<>();
    for (long seed = 1; seed <= 200; seed++) {
      RaftConfig c = new RaftConfig(1, 10, 1, false, false, 1 << 20, 256, 0, 0, seed);
      RawNode node = new RawNode(c, MemoryLog.withVoters(1, 2, 3));
      int ticks = 0;
      while (node.status().role() == Role.FOLLOWER && ticks < 100) {
        node.tick();
        ticks++;
      }
      assertTrue(ticks >= 10 && ticks < 20, "timeout " + ticks);
      timeouts.add(ticks);
    }
    assertEquals(10, timeouts.size(), "every value of [10, 20) occurs");
  }

  @Test
  void section5_3_leaderReplicatesAndCommitsOnAMajority() {
    TestNetwork net = TestNetwork.of(3, RaftPaperTest::plain);
    net.campaign(1);
    net.isolate(3);
    assertTrue(net.propose(1, "x"));
    for (long id : new long[] {1, 2}) {
      assertEquals(2, net.node(id).status().commitIndex(), "member " + id);
      assertEquals(List.of("x"), net.member(id).appliedData());
    }
    assertEquals(List.of(), net.member(3).appliedData());
    net.recover();
    net.tick(1);
    assertEquals(List.of("x"), net.member(3).appliedData(), "the follower catches up");
  }

  @Test
  void section5_3_followerCommitsNoMoreThanItHoldsAndWhatTheLeaderCommitted() {
    RawNode node = fresh(1, 1, 2, 3);
    node.step(Message.newBuilder().setType(MessageType.MSG_APP).setFrom(2).setTo(1).setTerm(1)
        .setIndex(0).setLogTerm(0).addEntries(entry(1, 1, "a")).addEntries(entry(2, 1, "b"))
        .setCommit(1).build());
    assertEquals(1, node.status().commitIndex());
    node.step(msg(MessageType.MSG_HEARTBEAT, 2, 1, 1).toBuilder().setCommit(2).build());
    assertEquals(2, node.status().commitIndex());
  }

  @Test
  void section5_3_followerRejectsAppendThatDoesNotMatchItsLog() {
    RawNode node = withLog(1, 2, List.of(entry(1, 1), entry(2, 2)));
    record Case(long index, long logTerm, boolean reject, long hint) {}
    for (Case c : List.of(new Case(2, 2, false, 0), new Case(2, 3, true, 2),
        new Case(5, 2, true, 2), new Case(1, 1, false, 0))) {
      node.step(msg(MessageType.MSG_APP, 2, 1, 2).toBuilder().setIndex(c.index())
          .setLogTerm(c.logTerm()).build());
      List<Message> out = drainMessages(node);
      Message resp = out.get(out.size() - 1);
      assertEquals(MessageType.MSG_APP_RESP, resp.getType());
      assertEquals(c.reject(), resp.getReject(), c.toString());
      if (c.reject()) assertEquals(c.hint(), resp.getRejectHint(), c.toString());
    }
  }

  @Test
  void section5_3_followerDeletesConflictingEntriesAndAppendsNewOnes() {
    RawNode node = withLog(1, 2, List.of(entry(1, 1), entry(2, 2), entry(3, 2)));
    node.step(msg(MessageType.MSG_APP, 2, 1, 3).toBuilder().setIndex(1).setLogTerm(1)
        .addEntries(entry(2, 3, "new")).build());
    Ready rd = node.ready();
    assertEquals(List.of(entry(2, 3, "new")), rd.entries());
    assertEquals(2, node.status().lastIndex(), "entry 3 of term 2 is gone");
  }

  @Test
  void section5_3_leaderBringsDivergentFollowersToItsLog() {
    // The leader's log of figure 7, and followers with missing, extra and conflicting entries.
    List<Entry> leaderLog = terms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
    List<List<Entry>> followers = List.of(
        terms(1, 1, 1, 4, 4, 5, 5, 6, 6),
        terms(1, 1, 1, 4),
        terms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6),
        terms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7),
        terms(1, 1, 1, 4, 4, 4, 4),
        terms(1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3));
    for (List<Entry> follower : followers) {
      TestNetwork net = new TestNetwork();
      MemoryLog l1 = MemoryLog.withVoters(1, 2, 3);
      l1.save(HardState.newBuilder().setTerm(8).build(), leaderLog, true);
      MemoryLog l2 = MemoryLog.withVoters(1, 2, 3);
      l2.save(HardState.newBuilder().setTerm(7).build(), follower, true);
      net.add(1, l1, plain(1));
      net.add(2, l2, plain(2));
      net.add(3, MemoryLog.withVoters(1, 2, 3), plain(3)); // votes, then stays silent
      net.campaign(1);
      net.isolate(3);
      assertEquals(Role.LEADER, net.node(1).status().role());
      net.propose(1, "sync");
      net.tick(2);
      assertEquals(l1.lastIndex(), l2.lastIndex(), "follower " + follower.size());
      for (long i = 1; i <= l1.lastIndex(); i++) {
        assertEquals(l1.term(i), l2.term(i), "term at " + i);
      }
    }
  }

  private static List<Entry> terms(long... terms) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) out.add(entry(i + 1, terms[i]));
    return out;
  }

  @Test
  void section5_4_1_voterRejectsACandidateWithAnOlderLog() {
    // our log ends at (index 2, term 2)
    record Case(long lastIndex, long lastTerm, boolean granted) {}
    for (Case c : List.of(new Case(2, 2, true), new Case(3, 2, true), new Case(1, 3, true),
        new Case(1, 2, false), new Case(5, 1, false))) {
      RawNode node = withLog(1, 2, List.of(entry(1, 1), entry(2, 2)));
      node.step(msg(MessageType.MSG_VOTE, 2, 1, 3).toBuilder().setIndex(c.lastIndex())
          .setLogTerm(c.lastTerm()).build());
      List<Message> out = drainMessages(node);
      assertEquals(1, out.size());
      assertEquals(!c.granted(), out.get(0).getReject(), c.toString());
    }
  }

  @Test
  void section5_4_1_candidateSendsItsLastIndexAndTerm() {
    RawNode node = withLog(1, 2, List.of(entry(1, 1), entry(2, 2)));
    node.campaign();
    for (Message m : drainMessages(node)) {
      assertEquals(2, m.getIndex());
      assertEquals(2, m.getLogTerm());
      assertEquals(3, m.getTerm());
    }
  }

  @Test
  void section5_4_2_leaderCommitsEntriesOfEarlierTermsOnlyWithOneOfItsOwn() {
    // The leader of term 3 holds entries of terms 1 and 2 not yet committed.
    RawNode leader = withLog(1, 2, List.of(entry(1, 1), entry(2, 2)));
    leader.campaign();
    leader.step(msg(MessageType.MSG_VOTE_RESP, 2, 1, 3));
    assertEquals(Role.LEADER, leader.status().role());
    drainMessages(leader);
    // follower 2 acknowledges the old entries only: nothing commits
    leader.step(msg(MessageType.MSG_APP_RESP, 2, 1, 3).toBuilder().setIndex(2).build());
    assertEquals(0, leader.status().commitIndex());
    // ... and then the leader's empty entry of term 3: everything up to it commits
    leader.step(msg(MessageType.MSG_APP_RESP, 2, 1, 3).toBuilder().setIndex(3).build());
    assertEquals(3, leader.status().commitIndex());
    assertFalse(leader.status().commitIndex() > leader.status().lastIndex());
  }
}
