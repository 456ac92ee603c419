package io.v2store.storage.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Differential property: any sequence of appends (with conflicting suffixes), snapshots,
 * compactions, leader snapshots and reopens leaves the RocksDB log answering exactly like a
 * plain list. Operations carry relative numbers and are resolved against the current state, so
 * every generated sequence is valid.
 */
class RocksDbLogDifferentialTest {
  private static final ConfState ONE_VOTER = ConfState.newBuilder().addVoters(1).build();

  sealed interface Op {}

  /** Append count entries starting back entries before the end; terms bumped by termStep. */
  record Append(int back, int count, int termStep) implements Op {}

  /** Take a snapshot back entries before the end and compact up to it. */
  record SnapshotAndCompact(int back) implements Op {}

  /** Install a leader snapshot at offset from the end; matching or not the local term. */
  record InstallSnapshot(int offset, boolean sameTerm) implements Op {}

  record Reopen() implements Op {}

  @Property(tries = 40)
  void behavesLikeAList(@ForAll("ops") @Size(max = 25) List<Op> ops) throws IOException {
    final Path dir = Files.createTempDirectory("rocksdb-log-property");
    final NaiveLog model = new NaiveLog();
    RocksDbLog log = RocksDbLog.open(dir);
    try {
      for (Op op : ops) {
        if (op instanceof Reopen) {
          log.close();
          log = RocksDbLog.open(dir);
        } else {
          apply(op, log, model);
        }
        assertSame(model, log);
      }
    } finally {
      log.close();
      TestEntries.deleteRecursively(dir);
    }
  }

  private static void apply(Op op, RocksDbLog log, NaiveLog model) {
    if (op instanceof Append a) {
      final long start = Math.max(model.firstIndex(), model.lastIndex() + 1 - a.back());
      final List<Entry> batch = new ArrayList<>();
      long term = model.term(start - 1) + a.termStep();
      for (long i = start; i < start + a.count(); i++) {
        batch.add(entry(i, term));
        term += i % 3 == 0 ? 1 : 0;
      }
      final HardState hs =
          HardState.newBuilder().setTerm(term).setCommit(model.firstIndex() - 1).build();
      log.save(hs, batch, true);
      model.append(batch);
    } else if (op instanceof SnapshotAndCompact s) {
      final long index = model.lastIndex() - s.back();
      if (index > model.snapshotIndex()) {
        log.createSnapshot(index, ONE_VOTER, ("state at " + index).getBytes());
        model.snapshotAt(index);
      }
      if (index >= model.firstIndex()) {
        log.compact(index);
        model.compact(index);
      }
    } else if (op instanceof InstallSnapshot s) {
      final long index = Math.max(model.snapshotIndex() + 1, model.lastIndex() + s.offset());
      final boolean canMatch = index <= model.lastIndex() && s.sameTerm();
      final long term = canMatch ? model.term(index) : model.term(model.lastIndex()) + 1;
      log.applySnapshot(
          Snapshot.newBuilder()
              .setMetadata(
                  SnapshotMetadata.newBuilder()
                      .setIndex(index)
                      .setTerm(term)
                      .setConfState(ONE_VOTER))
              .setData(ByteString.copyFromUtf8("leader state at " + index))
              .build());
      model.installSnapshot(index, term);
    }
  }

  private static void assertSame(NaiveLog model, RocksDbLog log) {
    assertEquals(model.firstIndex(), log.firstIndex(), "firstIndex");
    assertEquals(model.lastIndex(), log.lastIndex(), "lastIndex");
    for (long i = model.firstIndex() - 1; i <= model.lastIndex(); i++) {
      assertEquals(model.term(i), log.term(i), "term of " + i);
    }
    final long lo = model.firstIndex();
    final long hi = model.lastIndex() + 1;
    assertEquals(model.entries(lo, hi, Long.MAX_VALUE), log.entries(lo, hi, Long.MAX_VALUE));
    assertEquals(model.entries(lo, hi, 0), log.entries(lo, hi, 0));
    assertEquals(model.entries(lo, hi, 100), log.entries(lo, hi, 100));
    if (model.snapshotIndex() > 0) {
      assertEquals(model.snapshotIndex(), log.snapshot().getMetadata().getIndex(), "snapshot");
    }
  }

  private static Entry entry(long index, long term) {
    return Entry.newBuilder()
        .setIndex(index)
        .setTerm(term)
        .setData(ByteString.copyFromUtf8("x".repeat((int) (index % 7)) + index + "@" + term))
        .build();
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    final Arbitrary<Op> append =
        Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(0, 1))
            .as(Append::new);
    final Arbitrary<Op> compact =
        Arbitraries.integers().between(0, 5).map(SnapshotAndCompact::new);
    final Arbitrary<Op> install =
        Combinators.combine(Arbitraries.integers().between(-4, 3), Arbitraries.of(true, false))
            .as(InstallSnapshot::new);
    final Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, append),
            net.jqwik.api.Tuple.of(2, compact),
            net.jqwik.api.Tuple.of(1, install),
            net.jqwik.api.Tuple.of(2, reopen))
        .list();
  }
}
