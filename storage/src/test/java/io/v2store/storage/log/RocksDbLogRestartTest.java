package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.padded;
import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged (synced) batch is on disk: it survives a clean close and a killed process. */
class RocksDbLogRestartTest {
  private static final int BATCHES = 20;
  private static final int ENTRIES_PER_BATCH = 5;

  @TempDir Path dir;

  @Test
  void syncedBatchSurvivesCloseAndReopen() {
    final HardState hs = HardState.newBuilder().setTerm(3).setVote(2).setCommit(7).build();
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(hs, run(1, 9, 3), true);
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertEquals(hs, log.initialState().hardState());
      assertEquals(run(1, 9, 3), log.entries(1, 10, Long.MAX_VALUE));
    }
  }

  /**
   * A child JVM writes synced batches and prints an acknowledgement after each; it is killed
   * without closing the log. Everything acknowledged must be there when the log reopens.
   */
  @Test
  void acknowledgedBatchesSurviveAKilledWriter() throws Exception {
    final Process writer = startWriter(BATCHES, ENTRIES_PER_BATCH, 0);
    long acknowledgedIndex = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("ack ")) {
          acknowledgedIndex = Long.parseLong(line.substring(4));
          if (acknowledgedIndex >= (long) BATCHES * ENTRIES_PER_BATCH / 2) {
            break;
          }
        }
      }
    } finally {
      writer.destroyForcibly();
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "writer did not exit");
    }
    assertTrue(acknowledgedIndex > 0, "the writer acknowledged nothing");
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertTrue(log.lastIndex() >= acknowledgedIndex);
      assertTrue(log.initialState().hardState().getCommit() >= acknowledgedIndex);
      assertEquals(
          run(1, acknowledgedIndex, 1), log.entries(1, acknowledgedIndex + 1, Long.MAX_VALUE));
    }
  }

  /**
   * A writer killed after the WAL has rolled over several files loses nothing it acknowledged.
   */
  @Test
  void acknowledgedBatchesSurviveAKilledWriterAfterTheWalRolled() throws Exception {
    final int batches = 4_000; // 4,000 x 8 entries x 512 bytes: 16 MiB, the WAL rolls at 4 MiB
    final Process writer = startWriter(batches, 8, 512);
    long acknowledgedIndex = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (!line.startsWith("ack ")) continue;
        acknowledgedIndex = Long.parseLong(line.substring(4));
        if (acknowledgedIndex >= 3L * batches * 8 / 4) break;
      }
    } finally {
      writer.destroyForcibly();
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "writer did not exit");
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertTrue(log.lastIndex() >= acknowledgedIndex);
      assertEquals(padded(1, acknowledgedIndex, 512),
          log.entries(1, acknowledgedIndex + 1, Long.MAX_VALUE));
    }
  }

  /**
   * One damaged byte before the WAL's end: the log must refuse to open, as etcd's WAL refuses
   * ("crc mismatch"). RocksDB's point-in-time recovery replayed up to the damage and dropped the
   * rest without a word: acknowledged entries, and the term and vote saved with them.
   */
  @Test
  void aDamagedWalRecordBeforeTheEndIsRefused() throws Exception {
    final Process writer = startWriter(BATCHES, ENTRIES_PER_BATCH, 256);
    assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "writer did not finish");
    final Path wal;
    try (Stream<Path> files = Files.list(dir.resolve(RocksDbLog.DB_DIR))) {
      wal = files.filter(p -> p.getFileName().toString().endsWith(".log"))
          .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    final long size = Files.size(wal);
    assertTrue(size > 10_000, "the writes are in the WAL: " + size + " bytes");
    try (FileChannel file = FileChannel.open(wal, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      final ByteBuffer b = ByteBuffer.allocate(1);
      file.read(b, size / 2);
      b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
      file.write(b, size / 2);
      file.force(true);
    }
    final LogCorruptedException refused =
        assertThrows(LogCorruptedException.class, () -> RocksDbLog.open(dir).close());
    assertTrue(String.valueOf(refused.getMessage()).contains("write-ahead log is damaged"
        + " (checksum mismatch)"), refused.getMessage());
  }

  private Process startWriter(int batches, int perBatch, int entryBytes) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.library.path=" + System.getProperty("java.library.path"),
            "-cp",
            System.getProperty("java.class.path"),
            SyncedWriter.class.getName(),
            dir.toString(),
            Integer.toString(batches),
            Integer.toString(perBatch),
            Integer.toString(entryBytes))
        .redirectErrorStream(true)
        .start();
  }

  /** The child process: appends synced batches and acknowledges each on stdout. */
  public static final class SyncedWriter {
    public static void main(String[] args) {
      final Path dir = Path.of(args[0]);
      final int batches = Integer.parseInt(args[1]);
      final int perBatch = Integer.parseInt(args[2]);
      final int entryBytes = args.length > 3 ? Integer.parseInt(args[3]) : 0;
      final RocksDbLog log = RocksDbLog.open(dir);
      for (int b = 0; b < batches; b++) {
        final long from = (long) b * perBatch + 1;
        final long to = from + perBatch - 1;
        final List<Entry> entries = entryBytes > 0 ? padded(from, to, entryBytes) : run(from, to, 1);
        log.save(HardState.newBuilder().setTerm(1).setCommit(to).build(), entries, true);
        System.out.println("ack " + to);
        System.out.flush();
      }
      // Never closed on purpose: the parent kills this process.
      Runtime.getRuntime().halt(0);
    }
  }

  /**
   * Installing a leader's snapshot is one synced write; the hard state of the same Ready is saved
   * by the next. A member stopped between the two reopens a log whose first index is past its
   * saved commit: the Raft core must start from the snapshot, not refuse to start.
   */
  @Test
  void aMemberStoppedBetweenSnapshotInstallAndHardStateSaveStarts() {
    final ConfState voters = ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      log.save(HardState.newBuilder().setTerm(1).setVote(1).setCommit(3).build(), run(1, 5, 1),
          true);
      log.applySnapshot(Snapshot.newBuilder().setData(ByteString.copyFromUtf8("state@20"))
          .setMetadata(SnapshotMetadata.newBuilder().setIndex(20).setTerm(2)
              .setConfState(voters))
          .build());
    }
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertEquals(3, log.initialState().hardState().getCommit());
      final RawNode node = new RawNode(RaftConfig.defaults(2).withAppliedIndex(20), log);
      assertEquals(20, node.status().commitIndex());
      assertEquals(20, node.status().lastIndex());
    }
  }
}
