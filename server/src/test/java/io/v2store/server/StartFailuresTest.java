package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data dir the member cannot use stops the start with one line naming it, as etcd's does. */
class StartFailuresTest {
  @TempDir
  Path tmp;

  @Test
  void aDataDirThatIsAFileIsOneLineNotAStackTrace() throws Exception {
    Path data = Files.writeString(tmp.resolve("m.etcd"), "not a directory");
    try (ServerProcess member = new ServerProcess(data, List.of())) {
      member.launch("n1=" + member.peerUrl(), "new");
      assertTrue(member.awaitExit(Duration.ofSeconds(60)), "still running");
      assertEquals(1, member.exitCode());
      String log = member.log();
      assertTrue(log.contains("n1: cannot start: " + data + ": file exists (not a directory?)"), log);
      assertFalse(log.contains("\tat "), "a stack trace: " + log);
    }
  }
}
