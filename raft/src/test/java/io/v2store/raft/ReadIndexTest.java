package io.v2store.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ReadIndex on a multi-member group (Raft thesis 6.4). */
class ReadIndexTest {
  private static TestNetwork threeMembers() {
    return TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
  }

  @Test
  void readsWaitingTogetherShareOneHeartbeatRound() {
    TestNetwork net = threeMembers();
    net.campaign(1);
    net.propose(1, "a");
    net.trace.clear();
    net.node(1).readIndex("r1".getBytes());
    net.node(1).readIndex("r2".getBytes());
    net.node(1).readIndex("r3".getBytes());
    net.deliverAll();
    long heartbeats = net.trace.stream()
        .filter(m -> m.getType() == MessageType.MSG_HEARTBEAT).count();
    assertEquals(2, heartbeats, "one round: one heartbeat per follower");
    List<ReadState> states = net.member(1).readStates;
    assertEquals(3, states.size());
    for (ReadState rs : states) assertEquals(2, rs.index());
    assertArrayEquals("r3".getBytes(), states.get(2).requestContext());
  }

  @Test
  void noAnswerWithoutAQuorumOfAcknowledgements() {
    TestNetwork net = threeMembers();
    net.campaign(1);
    net.isolate(2);
    net.isolate(3);
    net.node(1).readIndex("r".getBytes());
    net.deliverAll();
    assertTrue(net.member(1).readStates.isEmpty());
    net.recover();
    net.tick(1); // the regular heartbeat repeats the pending round's context
    assertEquals(1, net.member(1).readStates.size());
  }

  @Test
  void newLeaderDelaysReadsUntilItCommitsAnEntryOfItsTerm() {
    TestNetwork net = threeMembers();
    net.dropIf = m -> m.getType() == MessageType.MSG_APP_RESP;
    net.campaign(1);
    assertEquals(Role.LEADER, net.node(1).status().role());
    net.node(1).readIndex("early".getBytes());
    net.deliverAll();
    assertEquals(0, net.node(1).status().commitIndex());
    assertTrue(net.member(1).readStates.isEmpty(), "its commit index may be stale");
    net.recover();
    net.tick(1);
    assertEquals(1, net.member(1).readStates.size());
    assertEquals(1, net.member(1).readStates.get(0).index());
  }

  @Test
  void followerForwardsReadsAndGetsTheLeadersCommitIndex() {
    TestNetwork net = threeMembers();
    net.campaign(1);
    net.propose(1, "a");
    net.propose(1, "b");
    net.node(3).readIndex("f".getBytes());
    net.deliverAll();
    assertTrue(net.trace.stream().anyMatch(m -> m.getType() == MessageType.MSG_READ_INDEX
        && m.getFrom() == 3 && m.getTo() == 1));
    List<ReadState> states = net.member(3).readStates;
    assertEquals(1, states.size());
    assertEquals(3, states.get(0).index());
    assertArrayEquals("f".getBytes(), states.get(0).requestContext());
    assertTrue(net.member(1).readStates.isEmpty());
  }

  @Test
  void leaderThatLosesLeadershipDropsPendingReads() {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    RawNode leader = new RawNode(TestNetwork.config(1, false, false), log);
    ReadyLoop loop = new ReadyLoop(leader, log);
    leader.campaign();
    leader.step(Message.newBuilder().setType(MessageType.MSG_VOTE_RESP).setFrom(2).setTo(1)
        .setTerm(1).build());
    leader.step(Message.newBuilder().setType(MessageType.MSG_APP_RESP).setFrom(2).setTo(1)
        .setTerm(1).setIndex(1).build());
    loop.drain();
    assertEquals(HardState.newBuilder().setTerm(1).setVote(1).setCommit(1).build(), log.hardState());
    leader.readIndex("lost".getBytes());
    loop.drain();
    leader.step(Message.newBuilder().setType(MessageType.MSG_APP).setFrom(3).setTo(1).setTerm(2)
        .setIndex(1).setLogTerm(1).setCommit(1).build());
    Message staleAck = loop.sent.stream().filter(m -> m.getType() == MessageType.MSG_HEARTBEAT)
        .findFirst().orElseThrow();
    leader.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT_RESP).setFrom(2).setTo(1)
        .setTerm(1).setContext(staleAck.getContext()).build());
    loop.drain();
    assertTrue(loop.readStates.isEmpty());
  }
}
