package io.v2store.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Single-member configuration changes and leadership transfer (thesis 4.1 and 3.10). */
class ConfChangeAndTransferTest {
  private static ConfChange change(ConfChangeType type, long node) {
    return ConfChange.newBuilder().setType(type).setNodeId(node).build();
  }

  @Test
  void addingAMemberReplicatesTheLogToItAndCountsItInTheQuorum() {
    TestNetwork net = TestNetwork.of(1, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    net.propose(1, "before");
    net.add(2, new MemoryLog(ConfState.getDefaultInstance()), TestNetwork.config(2, true, true));
    assertTrue(net.node(1).proposeConfChange(change(ConfChangeType.CONF_CHANGE_ADD_NODE, 2)));
    net.deliverAll();
    net.tick(2);
    assertEquals(List.of("before"), net.member(2).appliedData());
    net.isolate(2);
    net.propose(1, "needs-two");
    assertEquals(List.of("before"), net.member(1).appliedData(), "no quorum without member 2");
    net.recover();
    net.tick(2);
    assertEquals(List.of("before", "needs-two"), net.member(1).appliedData());
  }

  @Test
  void onlyOneChangeIsPendingAtATime() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    net.isolate(2);
    net.isolate(3);
    assertTrue(net.node(1).proposeConfChange(change(ConfChangeType.CONF_CHANGE_ADD_NODE, 4)));
    assertFalse(net.node(1).proposeConfChange(change(ConfChangeType.CONF_CHANGE_ADD_NODE, 5)));
    net.recover();
    net.tick(2);
    assertTrue(net.node(1).proposeConfChange(change(ConfChangeType.CONF_CHANGE_ADD_NODE, 5)),
        "accepted once the first is applied");
  }

  @Test
  void removedLeaderStepsDownAndTheOthersElectANewOne() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    assertTrue(net.node(1).proposeConfChange(change(ConfChangeType.CONF_CHANGE_REMOVE_NODE, 1)));
    net.deliverAll();
    assertEquals(Role.FOLLOWER, net.node(1).status().role());
    net.isolate(1);
    net.tick(30);
    long leader = net.leaderId();
    assertTrue(leader == 2 || leader == 3, "leader " + leader);
    net.propose(leader, "after");
    assertEquals(List.of("after"), net.member(leader == 2 ? 3 : 2).appliedData());
  }

  @Test
  void aLeaderRemovedFromTwoMembersTellsTheOtherOfTheCommitBeforeItStepsDown() {
    // The other member counts the leader as a voter until it applies the removal, and alone it
    // is no quorum of two: unless the leader sends the commit index on, it can never be elected.
    TestNetwork net = TestNetwork.of(2, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    assertTrue(net.node(1).proposeConfChange(change(ConfChangeType.CONF_CHANGE_REMOVE_NODE, 1)));
    net.deliverAll();
    assertEquals(Role.FOLLOWER, net.node(1).status().role());
    net.isolate(1);
    net.tick(30);
    assertEquals(2, net.leaderId());
    net.propose(2, "after");
    assertEquals(List.of("after"), net.member(2).appliedData());
  }

  @Test
  void transferToAnUpToDateFollowerHandsOverAtOnce() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    net.node(1).transferLeadership(3);
    net.deliverAll();
    assertEquals(3, net.leaderId());
    assertEquals(2, net.node(3).status().term());
    assertTrue(net.trace.stream().anyMatch(m -> m.getType() == MessageType.MSG_TIMEOUT_NOW));
  }

  @Test
  void transferCatchesALaggingTransfereeUpFirstAndDropsProposalsMeanwhile() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    net.isolate(3);
    net.propose(1, "a");
    net.node(1).transferLeadership(3);
    assertFalse(net.node(1).propose("dropped".getBytes()), "no proposals while transferring");
    net.recover();
    net.tick(1);
    assertEquals(3, net.leaderId());
    assertEquals(List.of("a"), net.member(3).appliedData());
  }

  @Test
  void transferToAnUnreachableMemberIsAbortedAfterAnElectionTimeout() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, false));
    net.campaign(1);
    net.isolate(3);
    net.node(1).transferLeadership(3);
    assertFalse(net.node(1).propose("x".getBytes()));
    net.tick(10);
    assertEquals(1, net.leaderId());
    assertTrue(net.node(1).propose("y".getBytes()), "transfer aborted");
  }

  @Test
  void transferRequestOnAFollowerIsForwardedToTheLeader() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    net.node(2).transferLeadership(2);
    net.deliverAll();
    assertEquals(2, net.leaderId());
  }
}
