package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second process on a data dir in use waits for the first to exit, then starts on it (as etcd
 * waits on its backend's lock); before, it failed on RocksDB's lock with a stack trace.
 */
class DataDirLockTest {
  @TempDir
  Path tmp;

  @Test
  void aSecondProcessOnTheSameDataDirWaitsForTheFirstToExit() throws Exception {
    Path dataDir = tmp.resolve("shared.etcd");
    try (ServerProcess first = new ServerProcess(dataDir, List.of());
        ServerProcess second = new ServerProcess(dataDir, List.of())) {
      first.start();
      assertEquals(201, Http.put(first, "/v2/keys/written-by-first", "value=1").statusCode());

      second.launch("n1=" + second.peerUrl(), "new");
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (!second.log().contains("holds the file lock") && Instant.now().isBefore(deadline)) {
        assertTrue(second.isAlive(), "the second process must wait, not fail:\n" + second.logTail());
        Thread.sleep(50);
      }
      assertTrue(second.log().contains("waiting for it to exit before starting"), second.logTail());
      assertTrue(second.isAlive(), second.logTail());
      // The first still owns the data dir and serves from it.
      assertEquals(200, Http.get(first, "/v2/keys/written-by-first").statusCode());

      first.kill9();
      second.awaitHealthy();
      String body = Http.get(second, "/v2/keys/written-by-first").body();
      assertTrue(body.contains("\"value\":\"1\""), body);
      assertTrue(!second.log().contains("\tat "), "no stack trace:\n" + second.log());
    }
  }
}
