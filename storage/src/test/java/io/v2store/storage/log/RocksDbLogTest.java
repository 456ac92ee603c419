package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.entry;
import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.v2store.raft.LogCompactedException;
import io.v2store.raft.LogUnavailableException;
import io.v2store.raft.SnapshotTemporarilyUnavailableException;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbLogTest {
  private static final ConfState THREE_VOTERS =
      ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();

  @TempDir Path dir;

  @Test
  void emptyLogStartsAtOne() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertEquals(1, log.firstIndex());
      assertEquals(0, log.lastIndex());
      assertEquals(0, log.term(0));
      assertEquals(HardState.getDefaultInstance(), log.initialState().hardState());
      assertEquals(List.of(), log.entries(1, 1, Long.MAX_VALUE));
      assertThrows(LogUnavailableException.class, () -> log.term(1));
      assertThrows(SnapshotTemporarilyUnavailableException.class, log::snapshot);
    }
  }

  @Test
  void appendsAndReadsBack() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      final HardState hs = HardState.newBuilder().setTerm(2).setVote(1).setCommit(3).build();
      log.save(hs, run(1, 5, 2), true);
      assertEquals(5, log.lastIndex());
      assertEquals(run(1, 5, 2), log.entries(1, 6, Long.MAX_VALUE));
      assertEquals(run(2, 3, 2), log.entries(2, 4, Long.MAX_VALUE));
      assertEquals(2, log.term(4));
      assertEquals(hs, log.initialState().hardState());
      assertThrows(LogUnavailableException.class, () -> log.entries(1, 7, Long.MAX_VALUE));
    }
  }

  @Test
  void maxBytesLimitsButReturnsAtLeastOne() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 10, 1), true);
      final int one = entry(1, 1).getSerializedSize();
      assertEquals(1, log.entries(1, 11, 0).size());
      assertEquals(3, log.entries(1, 11, 3L * one).size());
      assertEquals(3, log.entries(1, 11, 4L * one - 1).size());
    }
  }

  @Test
  void conflictingSuffixIsTruncated() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 6, 1), true);
      log.save(null, run(4, 4, 2), true);
      assertEquals(4, log.lastIndex());
      assertEquals(2, log.term(4));
      assertThrows(LogUnavailableException.class, () -> log.term(5));
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertEquals(4, log.lastIndex());
      assertEquals(List.of(entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 2)),
          log.entries(1, 5, Long.MAX_VALUE));
    }
  }

  @Test
  void gapsAndDecreasingTermsAreRejected() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 3, 2), true);
      assertThrows(IllegalArgumentException.class, () -> log.save(null, run(5, 6, 2), true));
      assertThrows(IllegalArgumentException.class, () -> log.save(null, run(4, 4, 1), true));
      assertEquals(3, log.lastIndex());
    }
  }

  @Test
  void snapshotThenCompactKeepsTheBoundaryTerm() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 5, 1), true);
      log.save(null, run(6, 10, 3), true);
      final byte[] data = "the key space at 7".getBytes(StandardCharsets.UTF_8);
      log.createSnapshot(7, THREE_VOTERS, data);
      assertThrows(IllegalArgumentException.class, () -> log.compact(8));
      log.compact(7);
      assertEquals(8, log.firstIndex());
      assertEquals(3, log.term(7));
      assertThrows(LogCompactedException.class, () -> log.term(6));
      assertThrows(LogCompactedException.class, () -> log.entries(7, 9, Long.MAX_VALUE));
      assertEquals(run(8, 10, 3), log.entries(8, 11, Long.MAX_VALUE));
      final Snapshot snapshot = log.snapshot();
      assertEquals(7, snapshot.getMetadata().getIndex());
      assertEquals(3, snapshot.getMetadata().getTerm());
      assertArrayEquals(data, snapshot.getData().toByteArray());
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertEquals(8, log.firstIndex());
      assertEquals(10, log.lastIndex());
      assertEquals(3, log.term(7));
      assertEquals(THREE_VOTERS, log.initialState().confState());
      assertEquals(7, log.snapshot().getMetadata().getIndex());
    }
  }

  @Test
  void appendingCompactedEntriesSkipsThem() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 5, 1), true);
      log.createSnapshot(4, THREE_VOTERS, new byte[0]);
      log.compact(4);
      log.save(null, run(3, 7, 1), true);
      assertEquals(5, log.firstIndex());
      assertEquals(7, log.lastIndex());
      assertEquals(run(5, 7, 1), log.entries(5, 8, Long.MAX_VALUE));
    }
  }

  @Test
  void leaderSnapshotAheadOfTheLogReplacesIt() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 3, 1), true);
      log.applySnapshot(snapshot(20, 4, "state at 20"));
      assertEquals(21, log.firstIndex());
      assertEquals(20, log.lastIndex());
      assertEquals(4, log.term(20));
      log.save(null, run(21, 22, 4), true);
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertEquals(21, log.firstIndex());
      assertEquals(22, log.lastIndex());
      assertEquals(THREE_VOTERS, log.initialState().confState());
      assertEquals("state at 20", log.snapshot().getData().toStringUtf8());
    }
  }

  @Test
  void leaderSnapshotMatchingTheLogKeepsTheEntriesAfterIt() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 8, 2), true);
      log.applySnapshot(snapshot(5, 2, "state at 5"));
      assertEquals(6, log.firstIndex());
      assertEquals(8, log.lastIndex());
      assertEquals(run(6, 8, 2), log.entries(6, 9, Long.MAX_VALUE));
    }
  }

  @Test
  void leaderSnapshotConflictingWithTheLogDiscardsIt() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 8, 2), true);
      log.applySnapshot(snapshot(5, 3, "state at 5"));
      assertEquals(6, log.firstIndex());
      assertEquals(5, log.lastIndex());
      assertEquals(3, log.term(5));
      assertThrows(LogUnavailableException.class, () -> log.term(6));
    }
  }

  @Test
  void outOfDateSnapshotsAreRefused() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(null, run(1, 8, 2), true);
      log.createSnapshot(6, THREE_VOTERS, new byte[] {1});
      assertThrows(IllegalArgumentException.class,
          () -> log.createSnapshot(5, THREE_VOTERS, new byte[] {2}));
      assertThrows(IllegalArgumentException.class, () -> log.applySnapshot(snapshot(4, 2, "old")));
      assertThrows(IllegalArgumentException.class,
          () -> log.createSnapshot(9, THREE_VOTERS, new byte[] {3}));
    }
  }

  @Test
  void snapshotAtTheSameIndexReplacesTheData() {
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.createSnapshot(0, THREE_VOTERS, new byte[] {1});
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.createSnapshot(0, THREE_VOTERS, new byte[] {2});
      assertArrayEquals(new byte[] {2}, log.snapshot().getData().toByteArray());
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertArrayEquals(new byte[] {2}, log.snapshot().getData().toByteArray());
      assertEquals(THREE_VOTERS, log.initialState().confState());
    }
  }

  @Test
  void closedLogRefusesUse() {
    final RocksDbLog log = RocksDbLog.open(dir);
    log.close();
    log.close();
    assertThrows(IllegalStateException.class, log::lastIndex);
  }

  private static Snapshot snapshot(long index, long term, String data) {
    return Snapshot.newBuilder()
        .setMetadata(
            SnapshotMetadata.newBuilder().setIndex(index).setTerm(term).setConfState(THREE_VOTERS))
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }
}
