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
 * etcd's --initial-election-tick-advance: a fresh member whose peers are connected is moved
 * electionTicks - 2 ticks ahead, so that it campaigns two ticks plus the random part of its
 * timeout later; never at once, and never where an earlier campaign would disturb or fail.
 */
class InitialTickAdvanceTest {
  private static final int ELECTION_TICKS = 10;
  private static final long ADVANCE = ELECTION_TICKS - 2;

  private static RawNode member(MemoryLog log, long seed) {
    return new RawNode(new RaftConfig(2, ELECTION_TICKS, 1, true, true, 1 << 20, 256, 0, 0, seed),
        log);
  }

  /** Ticks until the member leaves the follower role, at most limit. */
  private static int ticksToCampaign(RawNode node, int limit) {
    for (int t = 1; t <= limit; t++) {
      node.tick();
      if (node.status().role() != Role.FOLLOWER) return t;
    }
    return -1;
  }

  @Test
  void aFreshMemberCampaignsTwoTicksPlusItsRandomPartAfterTheAdvance() {
    for (long seed = 1; seed <= 50; seed++) {
      RawNode fresh = member(MemoryLog.withVoters(1, 2, 3), seed);
      assertTrue(fresh.advanceElectionTicks(ADVANCE));
      int ticks = ticksToCampaign(fresh, 2 * ELECTION_TICKS);
      assertTrue(ticks >= 2 && ticks < ELECTION_TICKS + 2, "seed " + seed + ": " + ticks);
      assertEquals(Role.PRE_CANDIDATE, fresh.status().role());

      RawNode unadvanced = member(MemoryLog.withVoters(1, 2, 3), seed);
      int without = ticksToCampaign(unadvanced, 2 * ELECTION_TICKS);
      assertEquals(ADVANCE, without - ticks, "seed " + seed + ": the same timeout, moved ahead");
    }
  }

  @Test
  void anAdvanceLargerThanTheTimeoutStillLeavesATick() {
    RawNode fresh = member(MemoryLog.withVoters(1, 2, 3), 7);
    assertTrue(fresh.advanceElectionTicks(1_000));
    assertEquals(Role.FOLLOWER, fresh.status().role(), "no campaign without a tick");
    assertEquals(1, ticksToCampaign(fresh, 1));
  }

  @Test
  void aMemberThatHasHeardFromALeaderIsNotMoved() {
    RawNode follower = member(MemoryLog.withVoters(1, 2, 3), 3);
    follower.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
        .setTerm(1).build());
    assertEquals(1, follower.status().leaderId());
    assertFalse(follower.advanceElectionTicks(ADVANCE));
    assertEquals(-1, ticksToCampaign(follower, ELECTION_TICKS - 1),
        "a whole election timeout of the leader's silence, as without the advance");
  }

  @Test
  void aRestartedMemberInItsStartupLeaseIsNotMoved() {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    log.save(HardState.newBuilder().setTerm(5).build(), List.of(), true);
    RawNode restarted = member(log, 3);
    assertFalse(restarted.advanceElectionTicks(ADVANCE));
    assertEquals(-1, ticksToCampaign(restarted, ELECTION_TICKS - 1),
        "its peers, restarted with it, refuse votes for that long: a campaign would only fail");
  }
}
