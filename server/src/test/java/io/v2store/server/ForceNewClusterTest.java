package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.HardState;
import io.v2store.storage.log.RocksDbLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --force-new-cluster's rewrite of the log: what the Raft core and the member list then apply. */
class ForceNewClusterTest {
  @TempDir Path tmp;

  private static Entry normal(long index, long term) {
    return Entry.newBuilder().setIndex(index).setTerm(term)
        .setData(ByteString.copyFromUtf8("write " + index)).build();
  }

  private static Entry change(long index, long term, ConfChangeType type, long node) {
    return Entry.newBuilder().setIndex(index).setTerm(term).setType(EntryType.ENTRY_CONF_CHANGE)
        .setData(ConfChange.newBuilder().setType(type).setNodeId(node).build().toByteString())
        .build();
  }

  private static List<Long> removed(List<Entry> entries) throws Exception {
    final List<Long> ids = new ArrayList<>();
    for (Entry e : entries) {
      assertEquals(EntryType.ENTRY_CONF_CHANGE, e.getType());
      final ConfChange c = ConfChange.parseFrom(e.getData());
      assertEquals(ConfChangeType.CONF_CHANGE_REMOVE_NODE, c.getType());
      ids.add(c.getNodeId());
    }
    return ids;
  }

  @Test
  void everyOtherMemberAtTheCommitIndexIsRemovedAndTheUncommittedTailDropped() throws Exception {
    try (RocksDbLog log = RocksDbLog.open(tmp)) {
      log.createSnapshot(0, ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build(),
          new byte[0]);
      log.save(HardState.newBuilder().setTerm(3).setVote(1).setCommit(5).build(), List.of(
          normal(1, 2), change(2, 2, ConfChangeType.CONF_CHANGE_ADD_NODE, 4),
          change(3, 2, ConfChangeType.CONF_CHANGE_REMOVE_NODE, 2),
          change(4, 3, ConfChangeType.CONF_CHANGE_ADD_LEARNER_NODE, 5), normal(5, 3),
          change(6, 3, ConfChangeType.CONF_CHANGE_ADD_NODE, 6), normal(7, 3)), true);

      ForceNewCluster.apply("m1", log, 1);

      // members at index 5: 1, 3, 4 and the learner 5; entries 6 and 7 were never committed
      assertEquals(8, log.lastIndex());
      assertEquals(normal(5, 3), log.entries(5, 6, Long.MAX_VALUE).get(0));
      final List<Entry> appended = log.entries(6, 9, Long.MAX_VALUE);
      assertEquals(List.of(3L, 4L, 5L), removed(appended));
      appended.forEach(e -> assertEquals(3, e.getTerm()));
      assertEquals(HardState.newBuilder().setTerm(3).setVote(1).setCommit(8).build(),
          log.initialState().hardState());

      ForceNewCluster.apply("m1", log, 1); // alone now: a second start with the flag is harmless
      assertEquals(8, log.lastIndex());
      assertEquals(8, log.initialState().hardState().getCommit());
    }
  }

  @Test
  void theConfigurationIsReadFromTheLatestSnapshotOn() throws Exception {
    try (RocksDbLog log = RocksDbLog.open(tmp)) {
      log.save(HardState.newBuilder().setTerm(1).setCommit(3).build(), List.of(
          change(1, 1, ConfChangeType.CONF_CHANGE_REMOVE_NODE, 9), normal(2, 1), normal(3, 1)),
          true);
      log.createSnapshot(2, ConfState.newBuilder().addVoters(7).addVoters(8).build(), new byte[0]);
      ForceNewCluster.apply("m7", log, 7);
      assertEquals(List.of(8L), removed(log.entries(4, 5, Long.MAX_VALUE)));
    }
  }

  @Test
  void aMemberOutsideItsClusterIsRefused() {
    try (RocksDbLog log = RocksDbLog.open(tmp)) {
      log.createSnapshot(0, ConfState.newBuilder().addVoters(1).addVoters(2).build(), new byte[0]);
      log.save(HardState.newBuilder().setTerm(1).setCommit(0).build(), List.of(), true);
      assertThrows(IllegalStateException.class, () -> ForceNewCluster.apply("m3", log, 3));
      assertEquals(0, log.lastIndex());
    }
  }
}
