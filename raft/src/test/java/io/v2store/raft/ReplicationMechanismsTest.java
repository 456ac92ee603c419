package io.v2store.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flow control, back-off, heartbeats, snapshots and proposal forwarding. */
class ReplicationMechanismsTest {

  private static RaftConfig config(long id, int maxInflight, long maxMsgBytes, long inflightBytes) {
    return new RaftConfig(id, 10, 1, false, false, maxMsgBytes, maxInflight, inflightBytes, 0, id);
  }

  private static long count(List<Message> ms, MessageType type) {
    return ms.stream().filter(m -> m.getType() == type).count();
  }

  /** What the driver's batching rests on: a batch is one append, one AppendEntries per follower. */
  @Test
  void aBatchOfProposalsIsAppendedAndSentTogether() {
    TestNetwork net = TestNetwork.of(3, id -> config(id, 256, 1 << 20, 0));
    net.campaign(1);
    net.trace.clear();
    List<Entry> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(Entry.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("b" + i))
          .build());
    }
    assertTrue(net.node(1).propose(batch));
    net.deliverAll();
    List<Message> appsTo2 = net.trace.stream().filter(m -> m.getType() == MessageType.MSG_APP
        && m.getFrom() == 1 && m.getTo() == 2 && m.getEntriesCount() > 0).toList();
    assertEquals(1, appsTo2.size(), "one AppendEntries for the batch: " + appsTo2);
    assertEquals(5, appsTo2.get(0).getEntriesCount());
    assertEquals(List.of("b0", "b1", "b2", "b3", "b4"), net.member(2).appliedData());
  }

  @Test
  void aBatchRefusesAConfigurationChange() {
    TestNetwork net = TestNetwork.of(1, id -> config(id, 256, 1 << 20, 0));
    net.campaign(1);
    Entry cc = Entry.newBuilder().setType(io.v2store.raft.pb.EntryType.ENTRY_CONF_CHANGE).build();
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> net.node(1).propose(List.of(cc)));
  }

  @Test
  void pipelinedAppendsStopAtMaxInflightMsgs() {
    TestNetwork net = TestNetwork.of(2, id -> config(id, 3, 1 << 20, 0));
    net.campaign(1);
    net.dropIf = m -> m.getType() == MessageType.MSG_APP_RESP; // acknowledgements are lost
    for (int i = 0; i < 10; i++) {
      net.node(1).propose(("p" + i).getBytes());
    }
    net.deliverAll();
    long appsWithEntries = net.trace.stream()
        .filter(m -> m.getType() == MessageType.MSG_APP && m.getFrom() == 1
            && m.getEntriesCount() > 0 && m.getEntries(0).getIndex() > 1)
        .count();
    assertEquals(3, appsWithEntries, "window of 3 unacknowledged appends");
    net.recover();
    net.tick(3);
    assertEquals(11, net.node(2).status().commitIndex(), "a heartbeat response reopens the flow");
  }

  @Test
  void inflightBytesBoundTheWindowToo() {
    TestNetwork net = TestNetwork.of(2, id -> config(id, 100, 1 << 20, 250));
    net.campaign(1);
    net.dropIf = m -> m.getType() == MessageType.MSG_APP_RESP;
    for (int i = 0; i < 10; i++) {
      net.node(1).propose(new byte[100]);
    }
    net.deliverAll();
    long apps = net.trace.stream().filter(m -> m.getType() == MessageType.MSG_APP
        && m.getEntriesCount() > 0 && m.getEntries(0).getData().size() == 100).count();
    assertEquals(3, apps, "100+100 < 250 <= 100+100+100");
  }

  @Test
  void entriesPerMessageAreBoundedByMaxSizePerMsg() {
    TestNetwork net = TestNetwork.of(2, id -> config(id, 256, 500, 0));
    net.campaign(1);
    net.isolate(2);
    for (int i = 0; i < 20; i++) net.node(1).propose(new byte[100]);
    net.deliverAll();
    net.recover();
    net.trace.clear();
    net.tick(3);
    List<Message> apps = net.trace.stream()
        .filter(m -> m.getType() == MessageType.MSG_APP && m.getEntriesCount() > 0).toList();
    assertTrue(apps.size() >= 4);
    for (Message m : apps) {
      long bytes = m.getEntriesList().stream().mapToLong(Entry::getSerializedSize).sum();
      assertTrue(bytes <= 500 || m.getEntriesCount() == 1, "message of " + bytes + " bytes");
    }
    assertEquals(21, net.node(2).status().commitIndex(), "the empty entry and 20 proposals");
  }

  @Test
  void fastBackOffSkipsAWholeConflictingTermPerRoundTrip() {
    // The follower holds 50 entries of term 2 the leader never had; the leader has term 1..3.
    List<Entry> leaderLog = new ArrayList<>();
    List<Entry> followerLog = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      leaderLog.add(Entry.newBuilder().setIndex(i).setTerm(1).build());
      followerLog.add(Entry.newBuilder().setIndex(i).setTerm(1).build());
    }
    for (int i = 6; i <= 55; i++) followerLog.add(Entry.newBuilder().setIndex(i).setTerm(2).build());
    for (int i = 6; i <= 60; i++) leaderLog.add(Entry.newBuilder().setIndex(i).setTerm(3).build());
    TestNetwork net = new TestNetwork();
    MemoryLog l1 = MemoryLog.withVoters(1, 2, 3);
    l1.save(HardState.newBuilder().setTerm(3).build(), leaderLog, true);
    MemoryLog l2 = MemoryLog.withVoters(1, 2, 3);
    l2.save(HardState.newBuilder().setTerm(3).build(), followerLog, true);
    net.add(1, l1, config(1, 256, 1 << 20, 0));
    net.add(2, l2, config(2, 256, 1 << 20, 0));
    net.add(3, MemoryLog.withVoters(1, 2, 3), config(3, 256, 1 << 20, 0));
    net.campaign(1);
    assertEquals(1, net.leaderId());
    long rejections = net.trace.stream()
        .filter(m -> m.getType() == MessageType.MSG_APP_RESP && m.getFrom() == 2 && m.getReject())
        .count();
    assertTrue(rejections <= 2, "rejections: " + rejections);
    assertEquals(61, l2.lastIndex());
    assertEquals(4, l2.term(61));
    assertEquals(1, l2.term(5));
  }

  @Test
  void heartbeatsNeverCarryACommitBeyondTheFollowersMatch() {
    TestNetwork net = TestNetwork.of(3, id -> config(id, 256, 1 << 20, 0));
    net.campaign(1);
    net.isolate(3);
    net.propose(1, "a");
    net.propose(1, "b");
    net.recover();
    net.dropIf = m -> m.getType() == MessageType.MSG_APP; // 3 cannot get the entries
    net.trace.clear();
    net.tick(1);
    for (Message m : net.trace) {
      if (m.getType() == MessageType.MSG_HEARTBEAT && m.getTo() == 3) {
        assertEquals(1, m.getCommit());
      }
      if (m.getType() == MessageType.MSG_HEARTBEAT && m.getTo() == 2) {
        assertEquals(3, m.getCommit());
      }
    }
    assertEquals(1, net.node(3).status().commitIndex());
  }

  @Test
  void followerBehindTheCompactedLogGetsASnapshot() {
    TestNetwork net = TestNetwork.of(3, id -> config(id, 256, 1 << 20, 0));
    net.campaign(1);
    net.isolate(3);
    for (int i = 0; i < 10; i++) net.propose(1, "v" + i);
    MemoryLog leaderLog = net.member(1).log;
    leaderLog.createSnapshot(8, leaderLog.initialState().confState(), "state@8".getBytes());
    leaderLog.compact(8);
    net.recover();
    net.trace.clear();
    net.tick(2);
    assertEquals(1, net.trace.stream().filter(m -> m.getType() == MessageType.MSG_SNAP).count());
    assertEquals(11, net.node(3).status().commitIndex());
    assertEquals(9, net.member(3).log.firstIndex());
    assertEquals("state@8", net.member(3).log.snapshot().getData().toStringUtf8());
    assertEquals(List.of("v7", "v8", "v9"), net.member(3).appliedData(),
        "entries after the snapshot are applied after it");
  }

  @Test
  void failedSnapshotIsRetriedAfterItIsReported() {
    MemoryLog log = MemoryLog.withVoters(1, 2);
    RawNode leader = new RawNode(config(1, 256, 1 << 20, 0), log);
    ReadyLoop loop = new ReadyLoop(leader, log);
    leader.campaign();
    leader.step(Message.newBuilder().setType(MessageType.MSG_VOTE_RESP).setFrom(2).setTo(1)
        .setTerm(1).build());
    for (int i = 0; i < 5; i++) leader.propose(new byte[] {(byte) i});
    loop.drain();
    log.createSnapshot(5, log.initialState().confState(), new byte[0]);
    log.compact(5);
    // the follower rejects the first probe: it has nothing
    leader.step(Message.newBuilder().setType(MessageType.MSG_APP_RESP).setFrom(2).setTo(1)
        .setTerm(1).setIndex(0).setReject(true).setRejectHint(0).build());
    loop.sent.clear();
    loop.drain();
    assertEquals(1, count(loop.sent, MessageType.MSG_SNAP));
    leader.reportSnapshot(2, true);
    loop.sent.clear();
    loop.drain();
    assertEquals(0, count(loop.sent, MessageType.MSG_SNAP), "paused until the follower answers");
    leader.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT_RESP).setFrom(2).setTo(1)
        .setTerm(1).build());
    loop.drain();
    assertEquals(1, count(loop.sent, MessageType.MSG_SNAP), "sent again");
  }

  @Test
  void unreachableFollowerIsProbedInsteadOfPipelined() {
    TestNetwork net = TestNetwork.of(2, id -> config(id, 256, 1 << 20, 0));
    net.campaign(1);
    net.propose(1, "a");
    net.node(1).reportUnreachable(2);
    net.isolate(2);
    net.trace.clear();
    for (int i = 0; i < 5; i++) net.node(1).propose(("x" + i).getBytes());
    net.deliverAll();
    long apps = net.trace.stream()
        .filter(m -> m.getType() == MessageType.MSG_APP && m.getEntriesCount() > 0).count();
    assertEquals(1, apps, "one probe at a time");
  }

  @Test
  void followerForwardsProposalsToTheLeader() {
    TestNetwork net = TestNetwork.of(3, id -> config(id, 256, 1 << 20, 0));
    net.campaign(1);
    assertTrue(net.propose(3, "via-follower"));
    for (long id = 1; id <= 3; id++) {
      assertEquals(List.of("via-follower"), net.member(id).appliedData());
    }
    assertTrue(net.trace.stream().anyMatch(m -> m.getType() == MessageType.MSG_PROP
        && m.getFrom() == 3 && m.getTo() == 1));
  }

  @Test
  void proposalWithoutAKnownLeaderIsDropped() {
    TestNetwork net = TestNetwork.of(3, id -> config(id, 256, 1 << 20, 0));
    assertFalse(net.propose(2, "nobody"));
    net.node(1).campaign(); // candidate, not leader yet
    assertFalse(net.node(1).propose("x".getBytes()));
  }

  /**
   * The driver installs a leader's snapshot (one synced write that also drops the log below it)
   * before it saves the hard state of the same Ready. A member that dies between the two restarts
   * with a commit index below the snapshot's: the snapshot is committed, so the member starts from
   * it instead of refusing to start.
   */
  @Test
  void restartBetweenSnapshotInstallAndHardStateSaveStartsFromTheSnapshot() {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    RawNode follower = new RawNode(config(2, 256, 1 << 20, 0), log);
    Snapshot snap = Snapshot.newBuilder().setData(ByteString.copyFromUtf8("state@10"))
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(10).setTerm(2)
            .setConfState(log.initialState().confState()))
        .build();
    follower.step(Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(1).setTo(2)
        .setTerm(2).setSnapshot(snap).build());
    Ready rd = follower.ready();
    assertEquals(10, rd.snapshot().getMetadata().getIndex());
    log.applySnapshot(rd.snapshot()); // then the process dies: rd.hardState() is never saved
    assertEquals(0, log.hardState().getCommit());

    RawNode restarted = new RawNode(config(2, 256, 1 << 20, 0).withAppliedIndex(10), log);
    assertEquals(10, restarted.status().commitIndex());
    assertEquals(10, restarted.status().appliedIndex());
    restarted.step(Message.newBuilder().setType(MessageType.MSG_APP).setFrom(1).setTo(2)
        .setTerm(2).setIndex(10).setLogTerm(2).setCommit(11)
        .addEntries(Entry.newBuilder().setIndex(11).setTerm(2)).build());
    assertEquals(11, restarted.status().commitIndex(), "the leader's entries follow the snapshot");
  }
}
