package io.v2store.storage.log;

import static io.v2store.storage.log.TestEntries.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.HardState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    final Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SyncedWriter.class.getName(),
                dir.toString(),
                Integer.toString(BATCHES),
                Integer.toString(ENTRIES_PER_BATCH))
            .redirectErrorStream(true)
            .start();
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

  /** The child process: appends synced batches and acknowledges each on stdout. */
  public static final class SyncedWriter {
    public static void main(String[] args) {
      final Path dir = Path.of(args[0]);
      final int batches = Integer.parseInt(args[1]);
      final int perBatch = Integer.parseInt(args[2]);
      final RocksDbLog log = RocksDbLog.open(dir);
      for (int b = 0; b < batches; b++) {
        final long from = (long) b * perBatch + 1;
        final long to = from + perBatch - 1;
        log.save(HardState.newBuilder().setTerm(1).setCommit(to).build(), run(from, to, 1), true);
        System.out.println("ack " + to);
        System.out.flush();
      }
      // Never closed on purpose: the parent kills this process.
      Runtime.getRuntime().halt(0);
    }
  }
}
