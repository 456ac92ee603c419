package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.padded;
import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
   * The WAL's files are reused (their blocks already allocated, so that a sync writes no inode):
   * a reused file still holds the records of its previous life past the new tail. A writer
   * killed while writing into one must lose nothing it acknowledged, and recovery must not take
   * the old records for new ones. The test knows a file was reused when a WAL file name appears
   * with the inode another name had and already holding the old file's megabytes (a new file
   * is seen at once, nearly empty: the directory is listed after every acknowledged batch).
   */
  @Test
  void acknowledgedBatchesSurviveAKilledWriterInAReusedWalFile() throws Exception {
    final int batches = 4_000; // 4,000 x 8 entries x 512 bytes: 16 MiB, the WAL rolls at 4 MiB
    final Process writer = startWriter(batches, 8, 512);
    final Path db = dir.resolve(RocksDbLog.DB_DIR);
    final Map<Object, String> walNameByInode = new HashMap<>();
    long acknowledgedIndex = 0;
    long reusedAt = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (!line.startsWith("ack ")) continue;
        acknowledgedIndex = Long.parseLong(line.substring(4));
        if (reusedAt == 0 && walFileReused(db, walNameByInode)) reusedAt = acknowledgedIndex;
        // Killed some batches into the reused file, not at its first record.
        if (reusedAt > 0 && acknowledgedIndex >= reusedAt + 200) break;
      }
    } finally {
      writer.destroyForcibly();
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "writer did not exit");
    }
    assertTrue(reusedAt > 0, "no WAL file was reused in " + acknowledgedIndex + " entries");
    try (RocksDbLog log = RocksDbLog.open(dir)) {
      assertTrue(log.lastIndex() >= acknowledgedIndex);
      assertEquals(padded(1, acknowledgedIndex, 512),
          log.entries(1, acknowledgedIndex + 1, Long.MAX_VALUE));
    }
  }

  /**
   * Whether a WAL file now has a name its inode did not have before, and that name's first
   * sighting already found it over a megabyte; records the names seen.
   */
  private static boolean walFileReused(Path db, Map<Object, String> nameByInode)
      throws IOException {
    boolean reused = false;
    try (DirectoryStream<Path> wals = Files.newDirectoryStream(db, "*.log")) {
      for (Path wal : wals) {
        final Object inode;
        final long size;
        try {
          inode = Files.getAttribute(wal, "unix:ino");
          size = Files.size(wal);
        } catch (NoSuchFileException renamedMeanwhile) {
          continue;
        }
        final String name = wal.getFileName().toString();
        final String before = nameByInode.put(inode, name);
        reused |= before != null && !before.equals(name) && size > (1 << 20);
      }
    }
    return reused;
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
