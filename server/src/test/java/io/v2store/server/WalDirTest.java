package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --wal-dir as an operator meets it: the synced writes go there, a kill loses none of them, and a
 * start that forgets the flag stops with one line saying where the WAL is (etcd 3.4 came up as
 * a new member and the keys were gone).
 */
class WalDirTest {
  @TempDir
  Path tmp;

  @Test
  void aMemberKeepsItsWalWhereToldAndRefusesAStartWithoutIt() throws Exception {
    Path data = tmp.resolve("m.etcd");
    Path wal = tmp.resolve("wal");
    try (ServerProcess first = new ServerProcess(data, List.of("--wal-dir", wal.toString()))) {
      first.start();
      assertEquals(201, Http.put(first, "/v2/keys/k", "value=1").statusCode());
      first.kill9();
    }
    try (Stream<Path> files = Files.list(wal)) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".log")),
          "the WAL is in --wal-dir");
    }

    try (ServerProcess forgot = new ServerProcess(data, List.of())) {
      forgot.launch("n1=" + forgot.peerUrl(), "new");
      assertTrue(forgot.awaitExit(Duration.ofSeconds(60)), "a start without --wal-dir must stop");
      assertEquals(1, forgot.exitCode());
      String log = forgot.log();
      assertTrue(log.contains("the WAL is in " + wal + " (--wal-dir " + wal + ")"), log);
      assertTrue(log.contains("start with the same --wal-dir as before"), log);
      assertFalse(log.contains("\tat "), "one line, no stack trace:\n" + log);
    }

    try (ServerProcess again = new ServerProcess(data, List.of("--wal-dir", wal.toString()))) {
      again.start();
      assertTrue(Http.get(again, "/v2/keys/k").body().contains("\"value\":\"1\""));
    }
  }
}
