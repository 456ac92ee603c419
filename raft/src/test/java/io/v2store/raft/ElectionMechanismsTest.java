package io.v2store.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import org.junit.jupiter.api.Test;

/** Pre-vote, check-quorum and the leader lease (Raft thesis 9.6 and 6.4.1). */
class ElectionMechanismsTest {

  @Test
  void preVoteKeepsARejoiningMemberFromDisruptingTheLeader() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, false));
    net.campaign(1);
    assertEquals(1, net.node(1).status().term());
    net.isolate(3);
    net.tick(40); // 3 campaigns alone, but only in pre-vote: its term stays
    assertEquals(1, net.node(3).status().term());
    assertEquals(Role.PRE_CANDIDATE, net.node(3).status().role());
    net.recover();
    net.tick(3);
    assertEquals(1, net.leaderId());
    assertEquals(1, net.node(1).status().term(), "the leader was not disturbed");
    assertEquals(Role.FOLLOWER, net.node(3).status().role());
    assertEquals(1, net.node(3).status().leaderId());
  }

  @Test
  void withoutPreVoteARejoiningMemberForcesANewTerm() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, false, false));
    net.campaign(1);
    net.isolate(3);
    net.tick(40);
    long isolatedTerm = net.node(3).status().term();
    assertTrue(isolatedTerm > 1);
    net.recover();
    net.tick(40);
    assertTrue(net.node(1).status().term() >= isolatedTerm || net.leaderId() != 1,
        "the stale leader had to move on");
  }

  @Test
  void checkQuorumMakesAnIsolatedLeaderStepDown() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    net.isolate(1);
    for (int i = 0; i < 10; i++) {
      net.node(1).tick();
      net.deliverAll();
    }
    assertEquals(Role.LEADER, net.node(1).status().role(), "one timeout of grace");
    for (int i = 0; i < 10; i++) {
      net.node(1).tick();
      net.deliverAll();
    }
    assertEquals(Role.FOLLOWER, net.node(1).status().role());
    assertEquals(0, net.node(1).status().leaderId());
  }

  @Test
  void checkQuorumKeepsALeaderThatHearsFromAMajority() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    net.isolate(3);
    net.tick(50);
    assertEquals(1, net.leaderId());
    assertEquals(1, net.node(1).status().term());
  }

  @Test
  void followerWithALiveLeaderIgnoresVoteRequestsOfHigherTerms() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, false, true));
    net.campaign(1);
    RawNode follower = net.node(2);
    follower.step(Message.newBuilder().setType(MessageType.MSG_VOTE).setFrom(3).setTo(2)
        .setTerm(5).setIndex(100).setLogTerm(5).build());
    assertEquals(1, follower.status().term(), "lease: the vote request was ignored");
    assertTrue(net.takeQueued().stream().noneMatch(m -> m.getType() == MessageType.MSG_VOTE_RESP));
    // once the lease ran out (no word from the leader for an election timeout), it votes
    net.isolate(1);
    for (int i = 0; i < 10; i++) follower.tick();
    follower.step(Message.newBuilder().setType(MessageType.MSG_VOTE).setFrom(3).setTo(2)
        .setTerm(5).setIndex(100).setLogTerm(5).build());
    assertEquals(5, follower.status().term());
  }

  @Test
  void candidateWithAStaleLogLosesAndAnUpToDateOneWins() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    net.isolate(3);
    net.propose(1, "x");
    net.recover();
    net.isolate(1);
    net.tick(10); // the lease of 2 and 3 expires
    net.node(3).campaign();
    net.deliverAll();
    assertTrue(net.node(3).status().role() != Role.LEADER, "3 lacks the committed entry");
    net.node(2).campaign();
    net.deliverAll();
    assertEquals(2, net.leaderId());
  }

  /**
   * A follower whose holder stalled (a long fsync) for longer than an election timeout, while its
   * leader's heartbeats queued for it: once they are stepped, the stall's ticks do not make it
   * campaign (without pre-vote that would depose a live leader with a new term).
   */
  @Test
  void aFollowerThatHeardItsLeaderDuringAStallDoesNotCampaignForIt() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, false, true));
    net.campaign(1);
    net.node(3).tick(); // what it heard in the election is before this tick
    net.node(1).tick(); // a heartbeat round, queued for 3 while it stalls
    for (Message m : net.takeQueued()) {
      if (m.getTo() == 3) net.deliver(m);
    }
    net.node(3).tickAfterStall(30);
    net.deliverAll();
    assertEquals(Role.FOLLOWER, net.node(3).status().role());
    assertEquals(1, net.node(3).status().term());
    assertEquals(1, net.node(3).status().leaderId());
    assertEquals(1, net.leaderId());
    net.tick(8); // and its election timer runs on from the heartbeat, not from before the stall
    assertEquals(1, net.node(1).status().term());
  }

  /**
   * A process paused whole wakes before its sockets are read: it may tick before it steps the
   * heartbeats that wait for it. It takes one tick for the stall all the same, and campaigns
   * only after a whole election timeout of silence since.
   */
  @Test
  void aFollowerTakesOneTickForAStallHeardOrNot() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, false, true));
    net.campaign(1);
    net.node(3).tick();
    net.node(3).tickAfterStall(30);
    assertEquals(Role.FOLLOWER, net.node(3).status().role());
    assertEquals(1, net.node(3).status().term());
    net.isolate(3);
    int ticks = 0;
    for (; net.node(3).status().role() == Role.FOLLOWER && ticks < 40; ticks++) net.node(3).tick();
    assertEquals(Role.CANDIDATE, net.node(3).status().role());
    assertEquals(2, net.node(3).status().term());
    // 2 ticks counted so far, and randomized timeouts of 10-19
    assertTrue(ticks >= 8, "campaigned " + ticks + " ticks after the stall");
  }

  /**
   * Members paused together (one host's pause; at a few milliseconds of election timeout, a busy
   * machine's scheduling): the leader's followers answered all it sent before the pause, and it
   * sent nothing during it. It keeps leadership on waking, as etcd's does, rather than fail
   * check-quorum at the stall's second election timeout and start an election; its lease, which
   * keeps real time, has run out.
   */
  @Test
  void aLeaderPausedWithItsFollowersKeepsLeadership() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, false, true));
    net.campaign(1);
    for (int i = 0; i < 3; i++) {
      net.tick(1);
      net.deliverAll(); // heartbeats answered
    }
    for (long id = 1; id <= 3; id++) net.node(id).tickAfterStall(35);
    net.deliverAll();
    assertEquals(Role.LEADER, net.node(1).status().role());
    assertEquals(1, net.node(1).status().term());
    assertEquals(1, net.leaderId());
    net.tick(30);
    assertEquals(1, net.node(1).status().term(), "the heartbeats go on");
    assertEquals(1, net.leaderId());
  }

  @Test
  void aLeaderTakesEveryTickOfAStallSoCheckQuorumKeepsRealTime() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, false, true));
    net.campaign(1);
    net.node(1).tick();
    net.takeQueued(); // its followers' answers are lost
    net.node(1).tickAfterStall(25);
    assertEquals(Role.FOLLOWER, net.node(1).status().role(), "two election timeouts unanswered");
  }
}
