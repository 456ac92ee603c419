package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy of a log taken while it is written: what a backup of a running member reads. */
class RocksDbLogCheckpointTest {
  private static final ConfState ONE_VOTER = ConfState.newBuilder().addVoters(1).build();

  @TempDir Path dir;

  private static byte[] state(long index) {
    return ("state at " + index).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCheckpointOpensAsTheLogItCopied() {
    final Path copy = dir.resolve("copy");
    try (RocksDbLog log = RocksDbLog.open(dir.resolve("live"))) {
      log.save(null, run(1, 100, 1), true);
      log.createSnapshot(60, ONE_VOTER, state(60));
      log.compact(50);
      log.checkpoint(copy);
      log.save(null, run(101, 120, 1), true); // after the copy: not in it
    }
    try (RocksDbLog restored = RocksDbLog.open(copy)) {
      assertEquals(51, restored.firstIndex());
      assertEquals(100, restored.lastIndex());
      assertEquals(60, restored.snapshot().getMetadata().getIndex());
      assertEquals("state at 60", restored.snapshot().getData().toStringUtf8());
      assertEquals(run(51, 100, 1), restored.entries(51, 101, Long.MAX_VALUE));
    }
  }

  @Test
  void checkpointsTakenDuringWritesAndSnapshotsHoldEveryAcknowledgedEntry() throws Exception {
    // a snapshot and a compaction every 100 entries
    assertEachCopyHoldsWhatWasAcknowledged(copiesTakenUnderWrites(8, 300, 100, 50));
  }

  /**
   * --snapshot-count 1: a snapshot recorded at every entry, many within the time one copy takes.
   * Each replaced the file the copy's record could name, every attempt saw more than one land,
   * and a backup of a busy member failed ("snapshots kept being replaced").
   */
  @Test
  void copiesTakenWhileASnapshotIsRecordedAtEveryEntryOpenWithEveryAcknowledgedEntry()
      throws Exception {
    assertEachCopyHoldsWhatWasAcknowledged(copiesTakenUnderWrites(5, 50, 1, 2));
  }

  /**
   * Takes copies (copy-0, copy-1, ...) of a log a writer appends to meanwhile, as the raft thread
   * does: synced appends, a snapshot every snapshotEvery entries, each followed by a compaction
   * to compactBehind entries before it. Copy k is taken once (k + 1) x entriesPerCopy entries are
   * acknowledged; returns how many were acknowledged as each began.
   */
  private List<Long> copiesTakenUnderWrites(int copies, long entriesPerCopy, long snapshotEvery,
      long compactBehind) throws Exception {
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicReference<Throwable> writerFailed = new AtomicReference<>();
    final List<Long> copiedFrom = new ArrayList<>();
    try (RocksDbLog log = RocksDbLog.open(dir.resolve("live"))) {
      // The writer runs until the copies are taken (or a bound).
      final CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          for (long i = 1; i <= 200_000 && !stop.get(); i++) {
            log.save(null, List.of(TestEntries.entry(i, 1)), true);
            acknowledged.set(i);
            if (i % snapshotEvery == 0) {
              log.createSnapshot(i, ONE_VOTER, state(i));
              if (i > compactBehind) log.compact(i - compactBehind);
            }
          }
        } catch (Throwable t) {
          writerFailed.set(t);
        }
      });
      try {
        for (int k = 0; k < copies; k++) {
          while (acknowledged.get() < entriesPerCopy * (k + 1) && writerFailed.get() == null) {
            Thread.onSpinWait();
          }
          final long before = acknowledged.get();
          log.checkpoint(dir.resolve("copy-" + k));
          copiedFrom.add(before);
        }
      } finally {
        stop.set(true);
        writer.get(60, TimeUnit.SECONDS);
      }
    }
    assertEquals(null, writerFailed.get());
    return copiedFrom;
  }

  /** Each copy opens with every entry acknowledged before it began, and its snapshot's data. */
  private void assertEachCopyHoldsWhatWasAcknowledged(List<Long> copiedFrom) throws IOException {
    for (int k = 0; k < copiedFrom.size(); k++) {
      try (RocksDbLog restored = RocksDbLog.open(dir.resolve("copy-" + k))) {
        final long last = restored.lastIndex();
        assertTrue(last >= copiedFrom.get(k), "copy " + k + " ends at " + last
            + " before the acknowledged " + copiedFrom.get(k));
        final long snapshotIndex = restored.snapshot().getMetadata().getIndex();
        assertEquals("state at " + snapshotIndex, restored.snapshot().getData().toStringUtf8());
        final List<Entry> entries = restored.entries(restored.firstIndex(), last + 1, Long.MAX_VALUE);
        assertEquals(run(restored.firstIndex(), last, 1), entries);
      }
      try (Stream<Path> snaps = Files.list(dir.resolve("copy-" + k))) {
        assertEquals(1, snaps.filter(p -> p.getFileName().toString().startsWith("snapshot-")).count(),
            "an open keeps only the snapshot file its record names");
      }
    }
  }

  /**
   * Enough writes that RocksDB's WAL files roll: each copy is taken with a different WAL file
   * live, its last records written just before, and must open with every acknowledged entry.
   */
  @Test
  void copiesTakenWhileWalFilesRollOpenWithEveryAcknowledgedEntry() throws Exception {
    final Path live = dir.resolve("live");
    final List<Long> copiedFrom = new ArrayList<>();
    final List<String> firstWal = new ArrayList<>();
    try (RocksDbLog log = RocksDbLog.open(live)) {
      firstWal.addAll(walFiles(live)); // the WAL this open started
      long next = 1;
      for (int k = 0; k < 6; k++) {
        // ~6 MiB per round: more than a memtable (4 MiB), so every round rolls the WAL
        for (int batch = 0; batch < 30; batch++, next += 50) {
          log.save(null, TestEntries.padded(next, next + 49, 4096), true);
        }
        log.createSnapshot(next - 1, ONE_VOTER, state(next - 1));
        log.compact(next - 100);
        log.save(null, TestEntries.padded(next, next + 9, 4096), true); // after the flush
        next += 10;
        copiedFrom.add(next - 1);
        log.checkpoint(dir.resolve("copy-" + k));
      }
    }
    final List<String> lastWal = walFiles(live);
    assertTrue(!lastWal.isEmpty() && !firstWal.containsAll(lastWal),
        "the WAL rolled: " + firstWal + " then " + lastWal);
    for (int k = 0; k < copiedFrom.size(); k++) {
      try (RocksDbLog restored = RocksDbLog.open(dir.resolve("copy-" + k))) {
        assertEquals(copiedFrom.get(k), restored.lastIndex(), "copy " + k);
        final long first = restored.firstIndex();
        assertEquals(TestEntries.padded(first, copiedFrom.get(k), 4096),
            restored.entries(first, copiedFrom.get(k) + 1, Long.MAX_VALUE));
      }
    }
  }

  /** The names of the WAL files in a log's db directory. */
  private static List<String> walFiles(Path log) throws IOException {
    try (Stream<Path> files = Files.list(log.resolve(RocksDbLog.DB_DIR))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log"))
          .sorted().toList();
    }
  }

  @Test
  void aCopyIsTakenAgainWhenTwoSnapshotsLandedDuringIt() throws Exception {
    final Path copy = dir.resolve("copy");
    try (LogDb db = LogDb.open(dir.resolve("db"))) {
      final long[] counts = {0, 2, 2, 2};
      final int[] calls = {0};
      LogCheckpoint.take(db, target -> {
        Files.writeString(target.resolve("linked-" + calls[0]), "");
        return counts[calls[0]++];
      }, copy);
      assertEquals(4, calls[0], "the first attempt linked before and after, then the second");
      try (Stream<Path> files = Files.list(copy)) {
        assertEquals(List.of("db", "linked-2", "linked-3"),
            files.map(p -> p.getFileName().toString()).sorted().toList(),
            "the first attempt's files are gone");
      }
    }
  }

  @Test
  void aCopyThatNeverSettlesFailsInsteadOfLooping() throws Exception {
    try (LogDb db = LogDb.open(dir.resolve("db"))) {
      final long[] count = {0};
      assertThrows(LogStorageException.class,
          () -> LogCheckpoint.take(db, target -> count[0] += 2, dir.resolve("copy")));
      assertTrue(count[0] > 2 && count[0] <= 20, "bounded attempts: " + count[0] / 2);
      assertTrue(!Files.exists(dir.resolve("copy")), "nothing is left of a failed copy");
    }
  }
}
