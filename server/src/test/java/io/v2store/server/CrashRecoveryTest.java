package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 under concurrent writes, three times over: every write that got a 2xx must be there
 * after the restart, with its index, and the etcd index and watch history must carry on.
 */
class CrashRecoveryTest {
  private static final int WRITERS = 4;
  private static final int MAX_WRITES_PER_WRITER = 5_000;
  private static final int ACKS_BEFORE_KILL = 200;
  private static final Pattern MODIFIED = Pattern.compile("\"modifiedIndex\":(\\d+)");


  @TempDir
  Path tmp;

  /**
   * A small snapshot count makes the kills land before, during and after snapshots and log
   * compaction, so recovery from snapshot + log tail is what gets tested: at a fixed count
   * (etcd's way), for as many snapshots as the run can have, and spaced by their size (the
   * default), where a restart replays longer tails and spaces its first snapshot by the one it
   * restored.
   */
  @ParameterizedTest(name = "--snapshot-scales={0}")
  @ValueSource(booleans = {false, true})
  void acknowledgedWritesSurviveKillNine(boolean snapshotsScale) throws Exception {
    Path dataDir = tmp.resolve("n1.etcd");
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    long highestAcked = 0;
    try (ServerProcess server = new ServerProcess(dataDir,
        List.of("--snapshot-count", "150", "--snapshot-scales=" + snapshotsScale))) {
      for (int round = 0; round < 3; round++) {
        server.start();
        assertLoadsRocksDbWithoutACopy(server);
        verifyAll(server, acknowledged);
        long indexAfterRestart = etcdIndex(server);
        assertTrue(indexAfterRestart >= highestAcked,
            "etcd index went back: " + indexAfterRestart + " < " + highestAcked);
        highestAcked = Math.max(highestAcked, writeUntilKilled(server, round, acknowledged));
      }
      server.start();
      verifyAll(server, acknowledged);
    }
  }

  /**
   * A server killed with SIGKILL cannot remove a copy of RocksDB's library that it inflated into
   * /tmp (15 MB each; the suite kills dozens): the library must come from the unpacked directory
   * the build passes on as java.library.path.
   */
  private static void assertLoadsRocksDbWithoutACopy(ServerProcess server) throws IOException {
    String maps = Files.readString(Path.of("/proc", Long.toString(server.pid()), "maps"));
    assertTrue(maps.contains("/test-native/librocksdbjni-linux64.so"),
        "RocksDB's library is mapped from the unpacked directory:\n"
            + maps.lines().filter(l -> l.contains("rocksdb")).findFirst().orElse("(not mapped)"));
  }

  /** Runs writers; kills the server once enough writes are acknowledged. */
  private long writeUntilKilled(ServerProcess server, int round, Map<String, Long> acked)
      throws Exception {
    CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_KILL);
    AtomicLong highest = new AtomicLong();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        for (int n = 0; n < MAX_WRITES_PER_WRITER; n++) {
          String key = "/crash/r" + round + "w" + writer + "n" + n;
          try {
            HttpResponse<String> r = Http.put(server, "/v2/keys" + key, "value=v" + n);
            if (r.statusCode() / 100 != 2) continue;
            long index = modifiedIndex(r.body());
            acked.put(key + "=v" + n, index);
            highest.accumulateAndGet(index, Math::max);
            enoughAcks.countDown();
          } catch (IOException | InterruptedException dead) {
            return; // the server is gone: this write is indeterminate, not acknowledged
          }
        }
      });
      t.start();
      writers.add(t);
    }
    assertTrue(enoughAcks.await(60, TimeUnit.SECONDS), "writes were not acknowledged in time");
    server.kill9();
    for (Thread t : writers) t.join(30_000);
    return highest.get();
  }

  private void verifyAll(ServerProcess server, Map<String, Long> acked) throws Exception {
    for (Map.Entry<String, Long> e : acked.entrySet()) {
      String[] kv = e.getKey().split("=", 2);
      HttpResponse<String> r = Http.get(server, "/v2/keys" + kv[0]);
      assertEquals(200, r.statusCode(), "acknowledged write lost: " + kv[0] + " " + r.body());
      assertTrue(r.body().contains("\"value\":\"" + kv[1] + "\""), r.body());
      assertEquals(e.getValue(), modifiedIndex(r.body()), "index changed for " + kv[0]);
    }
  }

  private long etcdIndex(ServerProcess server) throws Exception {
    HttpResponse<String> r = Http.get(server, "/v2/keys/");
    return Long.parseLong(r.headers().firstValue("X-Etcd-Index").orElseThrow());
  }



  private static long modifiedIndex(String body) {
    Matcher m = MODIFIED.matcher(body);
    if (!m.find()) throw new AssertionError("no modifiedIndex in " + body);
    return Long.parseLong(m.group(1));
  }
}
