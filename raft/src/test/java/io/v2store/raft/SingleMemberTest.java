package io.v2store.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-voter group: leader at once, commits what it appends, restarts from its log. */
class SingleMemberTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void campaignMakesTheOnlyVoterLeaderWithAnEmptyEntryOfItsTerm() {
    MemoryLog log = MemoryLog.withVoters(1);
    RawNode node = new RawNode(RaftConfig.defaults(1), log);
    assertEquals(Role.FOLLOWER, node.status().role());

    node.campaign();
    Ready rd = node.ready();
    assertEquals(new SoftState(1, Role.LEADER), rd.softState());
    assertEquals(HardState.newBuilder().setTerm(1).setVote(1).setCommit(1).build(), rd.hardState());
    assertEquals(1, rd.entries().size());
    Entry empty = rd.entries().get(0);
    assertEquals(1, empty.getIndex());
    assertEquals(1, empty.getTerm());
    assertTrue(empty.getData().isEmpty());
    assertEquals(List.of(empty), rd.committedEntries(), "a single voter commits at once");
    assertTrue(rd.mustSync());
    assertTrue(rd.messages().isEmpty());
    assertTrue(rd.messagesAfterPersist().isEmpty());
    log.save(rd.hardState(), rd.entries(), true);
    node.advance(rd);

    assertFalse(node.hasReady());
    assertEquals(new RaftStatus(1, 1, 1, Role.LEADER, 1, 1, 1), node.status());
  }

  @Test
  void electionTimeoutAloneMakesItLeader() {
    MemoryLog log = MemoryLog.withVoters(7);
    RawNode node = new RawNode(RaftConfig.defaults(7), log);
    RaftConfig cfg = RaftConfig.defaults(7);
    for (int i = 0; i < 2 * cfg.electionTicks(); i++) node.tick();
    assertEquals(Role.LEADER, node.status().role());
    assertEquals(1, node.status().term());
  }

  @Test
  void proposalsCommitAndApplyInOrder() {
    MemoryLog log = MemoryLog.withVoters(1);
    RawNode node = new RawNode(RaftConfig.defaults(1), log);
    ReadyLoop loop = new ReadyLoop(node, log);
    node.campaign();
    loop.drain();
    assertTrue(node.propose(bytes("a")));
    assertTrue(node.propose(bytes("b")));
    Ready rd = node.ready();
    assertEquals(2, rd.entries().size());
    assertEquals(rd.entries(), rd.committedEntries());
    assertEquals(3, rd.hardState().getCommit());
    assertFalse(rd.mustSync() && rd.entries().isEmpty());
    log.save(rd.hardState(), rd.entries(), rd.mustSync());
    loop.applied.addAll(rd.committedEntries());
    node.advance(rd);
    assertTrue(node.propose(bytes("c")));
    loop.drain();
    assertEquals(List.of("", "a", "b", "c"), loop.appliedData());
    assertEquals(4, log.lastIndex());
    assertEquals(new RaftStatus(1, 1, 1, Role.LEADER, 4, 4, 4), node.status());
  }

  @Test
  void onlyOneReadyIsOutstanding() {
    MemoryLog log = MemoryLog.withVoters(1);
    RawNode node = new RawNode(RaftConfig.defaults(1), log);
    node.campaign();
    Ready rd = node.ready();
    assertFalse(node.hasReady());
    assertThrows(IllegalStateException.class, node::ready);
    // inputs are still accepted meanwhile and come out in the next Ready
    assertTrue(node.propose(bytes("x")));
    log.save(rd.hardState(), rd.entries(), true);
    node.advance(rd);
    Ready next = node.ready();
    assertEquals(1, next.entries().size());
    assertEquals("x", next.entries().get(0).getData().toStringUtf8());
  }

  @Test
  void followerWithoutLeaderDropsProposals() {
    RawNode node = new RawNode(RaftConfig.defaults(1), MemoryLog.withVoters(1, 2, 3));
    assertFalse(node.propose(bytes("lost")));
  }

  @Test
  void restartResumesTermVoteCommitAndSkipsWhatWasApplied() {
    MemoryLog log = MemoryLog.withVoters(1);
    RawNode first = new RawNode(RaftConfig.defaults(1), log);
    ReadyLoop loop = new ReadyLoop(first, log);
    first.campaign();
    first.propose(bytes("a"));
    first.propose(bytes("b"));
    loop.drain();
    assertEquals(HardState.newBuilder().setTerm(1).setVote(1).setCommit(3).build(), log.hardState());

    RawNode second = new RawNode(RaftConfig.defaults(1).withAppliedIndex(3), log);
    assertEquals(new RaftStatus(1, 1, 0, Role.FOLLOWER, 3, 3, 3), second.status());
    ReadyLoop loop2 = new ReadyLoop(second, log);
    loop2.drain();
    assertTrue(loop2.applied.isEmpty(), "nothing to re-apply");
    second.campaign();
    assertTrue(second.propose(bytes("c")));
    loop2.drain();
    assertEquals(List.of("", "c"), loop2.appliedData());
    assertEquals(2, second.status().term());
    assertEquals(5, second.status().commitIndex());
    assertEquals(HardState.newBuilder().setTerm(2).setVote(1).setCommit(5).build(), log.hardState());
    assertEquals(2, log.term(4));
  }

  @Test
  void restartWithNothingAppliedRedeliversCommittedEntries() {
    MemoryLog log = MemoryLog.withVoters(1);
    RawNode first = new RawNode(RaftConfig.defaults(1), log);
    ReadyLoop loop = new ReadyLoop(first, log);
    first.campaign();
    first.propose(bytes("a"));
    loop.drain();

    RawNode second = new RawNode(RaftConfig.defaults(1), log);
    ReadyLoop loop2 = new ReadyLoop(second, log);
    loop2.drain();
    assertEquals(List.of("", "a"), loop2.appliedData());
    assertEquals(2, second.status().appliedIndex());
  }

  @Test
  void restartFromACompactedLog() {
    MemoryLog log = MemoryLog.withVoters(1);
    RawNode first = new RawNode(RaftConfig.defaults(1), log);
    ReadyLoop loop = new ReadyLoop(first, log);
    first.campaign();
    for (int i = 0; i < 5; i++) first.propose(bytes("v" + i));
    loop.drain();
    log.createSnapshot(4, log.initialState().confState(), bytes("state@4"));
    log.compact(4);

    RawNode second = new RawNode(RaftConfig.defaults(1).withAppliedIndex(4), log);
    ReadyLoop loop2 = new ReadyLoop(second, log);
    loop2.drain();
    assertEquals(List.of("v3", "v4"), loop2.appliedData().subList(0, 2));
    second.campaign();
    second.propose(bytes("after"));
    loop2.drain();
    assertEquals(8, second.status().commitIndex());
    assertEquals("after", loop2.applied.get(loop2.applied.size() - 1).getData().toStringUtf8());
  }

  @Test
  void readIndexIsAnsweredAtOnceWithTheCommitIndex() {
    MemoryLog log = MemoryLog.withVoters(1);
    RawNode node = new RawNode(RaftConfig.defaults(1), log);
    ReadyLoop loop = new ReadyLoop(node, log);
    node.campaign();
    node.propose(bytes("a"));
    loop.drain();
    node.readIndex(bytes("ctx-1"));
    node.readIndex(bytes("ctx-2"));
    Ready rd = node.ready();
    assertEquals(2, rd.readStates().size());
    assertEquals(2, rd.readStates().get(0).index());
    assertArrayEquals(bytes("ctx-1"), rd.readStates().get(0).requestContext());
    assertArrayEquals(bytes("ctx-2"), rd.readStates().get(1).requestContext());
    node.advance(rd);
  }

  @Test
  void readIndexWithoutALeaderGetsNoAnswer() {
    MemoryLog log = MemoryLog.withVoters(1);
    RawNode node = new RawNode(RaftConfig.defaults(1), log);
    node.readIndex(bytes("ctx"));
    assertFalse(node.hasReady());
  }

  @Test
  void restartedLeaderAnswersReadsAfterItsNewTermCommits() {
    MemoryLog log = MemoryLog.withVoters(1);
    RawNode first = new RawNode(RaftConfig.defaults(1), log);
    new ReadyLoop(first, log).drain();
    first.campaign();
    new ReadyLoop(first, log).drain();
    RawNode second = new RawNode(RaftConfig.defaults(1).withAppliedIndex(1), log);
    ReadyLoop loop = new ReadyLoop(second, log);
    second.campaign();
    second.readIndex(bytes("r"));
    loop.drain();
    assertEquals(1, loop.readStates.size());
    assertEquals(2, loop.readStates.get(0).index());
    assertNotNull(loop.readStates.get(0).requestContext());
  }
}
