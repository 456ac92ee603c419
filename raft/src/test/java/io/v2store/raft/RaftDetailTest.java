package io.v2store.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The full state /debug/vars shows: each member's replication on the leader, none elsewhere. */
class RaftDetailTest {
  @Test
  void theLeaderShowsEachMembersProgressAndAFollowerItsVote() {
    TestNetwork net = TestNetwork.of(3, id -> TestNetwork.config(id, true, true));
    net.campaign(1);
    net.propose(1, "x");
    net.isolate(3);
    net.propose(1, "y");

    RaftDetail leader = net.node(1).detail();
    assertEquals(Role.LEADER, leader.role());
    assertEquals(1, leader.lead());
    assertEquals(1, leader.vote());
    long last = net.node(1).status().lastIndex();
    assertEquals(last, leader.commit());
    assertEquals(Map.of(1L, new RaftDetail.PeerProgress(last, last + 1, "StateReplicate"),
        2L, new RaftDetail.PeerProgress(last, last + 1, "StateReplicate")),
        Map.of(1L, leader.progress().get(1L), 2L, leader.progress().get(2L)));
    assertTrue(leader.progress().get(3L).match() < last, "the isolated member is behind");
    assertEquals(0, leader.leadTransferee());
    assertEquals(2, leader.mostCaughtUpFollower(), "2 has every entry, 3 does not");

    RaftDetail follower = net.node(2).detail();
    assertEquals(Role.FOLLOWER, follower.role());
    assertEquals(1, follower.vote());
    assertEquals(1, follower.lead());
    assertEquals(leader.term(), follower.term());
    assertEquals(Map.of(), follower.progress());
    assertEquals(0, follower.mostCaughtUpFollower(), "no progress off the leader");
  }
}
