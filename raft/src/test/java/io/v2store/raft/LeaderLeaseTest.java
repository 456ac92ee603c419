package io.v2store.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lease reads (Raft thesis 6.4.1): what lets a leader skip the heartbeat round, and each thing
 * that must take that right away (see core/LeaderLease for the argument).
 */
class LeaderLeaseTest {
  private static final int ELECTION_TICKS = 10;

  private static TestNetwork threeMembers(boolean leaseReads) {
    return TestNetwork.of(3, id -> TestNetwork.config(id, true, true).withLeaseReads(leaseReads));
  }

  /** Member 1 leads, has committed an entry of its term, and a heartbeat round was answered. */
  private static TestNetwork leaderWithLease(boolean leaseReads) {
    TestNetwork net = threeMembers(leaseReads);
    net.campaign(1);
    net.propose(1, "a");
    net.tick(1);
    assertEquals(Role.LEADER, net.node(1).status().role());
    net.trace.clear();
    return net;
  }

  private static boolean answeredAtOnce(TestNetwork net, String context) {
    int before = net.member(1).readStates.size();
    net.node(1).readIndex(context.getBytes());
    net.processReadies();
    return net.member(1).readStates.size() == before + 1;
  }

  private static long heartbeatsSent(TestNetwork net) {
    return net.trace.stream().filter(m -> m.getType() == MessageType.MSG_HEARTBEAT).count();
  }

  @Test
  void whileTheLeaseHoldsAReadIsAnsweredWithoutAnyMessage() {
    TestNetwork net = leaderWithLease(true);
    assertTrue(answeredAtOnce(net, "r"));
    net.deliverAll();
    assertTrue(net.trace.isEmpty(), "no heartbeat round: " + net.trace);
    assertEquals(net.node(1).status().commitIndex(), net.member(1).readStates.get(0).index());
  }

  @Test
  void withLeaseReadsOffEveryReadTakesARound() {
    TestNetwork net = leaderWithLease(false);
    assertFalse(answeredAtOnce(net, "r"));
    net.deliverAll();
    assertEquals(2, heartbeatsSent(net));
    assertEquals(1, net.member(1).readStates.size());
  }

  @Test
  void theLeaseRunsOutElectionTicksMinusTwoAfterTheLastAnsweredHeartbeat() {
    TestNetwork net = leaderWithLease(true);
    net.isolate(2);
    net.isolate(3);
    // The last answered heartbeat went out at this very tick; the lease lasts while fewer than
    // electionTicks - 2 ticks have passed since.
    net.tick(ELECTION_TICKS - 3);
    assertTrue(answeredAtOnce(net, "still"));
    net.tick(1);
    assertFalse(answeredAtOnce(net, "expired"));
    net.deliverAll();
    assertEquals(1, net.member(1).readStates.size(), "no quorum answers the round");
  }

  @Test
  void sendingTimeoutNowRevokesTheLeaseForTheRestOfTheTerm() {
    TestNetwork net = leaderWithLease(true);
    // The transferee would campaign with force, ignoring every follower's lease; lose that
    // message so the old leader stays, and check it no longer trusts its lease.
    net.dropIf = m -> m.getType() == MessageType.MSG_TIMEOUT_NOW;
    net.node(1).transferLeadership(2);
    net.deliverAll();
    assertTrue(net.trace.stream().anyMatch(m -> m.getType() == MessageType.MSG_TIMEOUT_NOW));
    net.tick(ELECTION_TICKS + 1); // the transfer times out; heartbeats keep being answered
    assertEquals(Role.LEADER, net.node(1).status().role());
    net.trace.clear();
    assertFalse(answeredAtOnce(net, "after-transfer"));
    net.deliverAll();
    assertEquals(2, heartbeatsSent(net));
    assertEquals(1, net.member(1).readStates.size());
  }

  @Test
  void aRestartedMemberRefusesVotesForItsFirstElectionTimeout() {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    log.save(HardState.newBuilder().setTerm(5).build(), List.of(), true);
    RawNode restarted = new RawNode(TestNetwork.config(2, true, true), log);
    ReadyLoop loop = new ReadyLoop(restarted, log);
    Message vote = Message.newBuilder().setType(MessageType.MSG_VOTE).setFrom(3).setTo(2)
        .setTerm(6).setIndex(0).setLogTerm(0).build();
    restarted.step(vote);
    loop.drain();
    assertTrue(loop.sent.isEmpty(), "it may have answered the old leader's heartbeat: " + loop.sent);
    for (int i = 0; i < ELECTION_TICKS; i++) restarted.tick();
    restarted.step(vote.toBuilder().setTerm(7).build());
    loop.drain();
    assertTrue(loop.sent.stream().anyMatch(m -> m.getType() == MessageType.MSG_VOTE_RESP
        && !m.getReject()), "votes again once the lease it may have given ran out: " + loop.sent);
  }

  @Test
  void aFreshMemberVotesAtOnce() {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    RawNode fresh = new RawNode(TestNetwork.config(2, true, true), log);
    ReadyLoop loop = new ReadyLoop(fresh, log);
    fresh.step(Message.newBuilder().setType(MessageType.MSG_VOTE).setFrom(3).setTo(2).setTerm(1)
        .build());
    loop.drain();
    assertTrue(loop.sent.stream().anyMatch(m -> m.getType() == MessageType.MSG_VOTE_RESP
        && !m.getReject()));
  }

  @Test
  void aHeartbeatAnswerWaitsUntilTheTermItWasGivenInIsDurable() {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    RawNode follower = new RawNode(TestNetwork.config(2, true, true), log);
    follower.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
        .setTerm(3).setLeaseTick(7).build());
    Ready rd = follower.ready();
    assertEquals(3, rd.hardState().getTerm());
    assertTrue(rd.messages().stream().noneMatch(m -> m.getType() == MessageType.MSG_HEARTBEAT_RESP));
    Message answer = rd.messagesAfterPersist().stream()
        .filter(m -> m.getType() == MessageType.MSG_HEARTBEAT_RESP).findFirst().orElseThrow();
    assertEquals(7, answer.getLeaseTick(), "the answer echoes the send tick");
  }

  @Test
  void aSuspendedLeaseIsNotTrusted() {
    TestNetwork net = leaderWithLease(true);
    net.node(1).suspendLease();
    assertFalse(answeredAtOnce(net, "while-catching-up"));
    net.deliverAll();
    net.node(1).resumeLease();
    assertTrue(answeredAtOnce(net, "caught-up"));
  }
}
