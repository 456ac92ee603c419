package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.v2store.it.PythonEtcd;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A python-etcd client given all three members loses the one it talks to (the leader, SIGKILL)
 * between two batches of writes, with a watch parked on it: it must carry on through another
 * member by itself (python-etcd moves on using the list /v2/machines gives it), lose no
 * acknowledged write, and its watch must resume elsewhere from its index and get the next write.
 */
class PythonEtcdFailoverTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theClientMovesToAnotherMemberWhenItsMemberDies() throws Exception {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    PythonEtcd.require();
    try (LocalCluster cluster = new LocalCluster(3)) {
      MemberProcess leader = cluster.awaitLeader(10_000);
      List<String> urls = new ArrayList<>();
      urls.add(leader.clientUrl.toString());
      cluster.members.stream().filter(m -> m != leader).forEach(m -> urls.add(m.clientUrl.toString()));
      Path out = Files.createTempFile("failover-out-", ".txt");
      Path err = Files.createTempFile("failover-err-", ".txt");
      Process python = PythonEtcd.command("failover.py", urls, err).redirectOutput(out.toFile()).start();
      try {
        ClusterPoll.require(60_000, "failover.py's first batch", () -> read(out).contains("phase 1 done")
            || !python.isAlive());
        assertTrue(python.isAlive(), () -> "failover.py exited early:\n" + read(out) + read(err));
        leader.kill9();
        try (OutputStream stdin = python.getOutputStream()) {
          stdin.write("killed\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(python.waitFor(60, TimeUnit.SECONDS), () -> "failover.py hung:\n" + read(out) + read(err));
        assertEquals(0, python.exitValue(), () -> "failover.py failed:\n" + read(out) + read(err));
        String[] lines = read(out).strip().split("\n");
        JsonNode result = new ObjectMapper().readTree(lines[lines.length - 1]);

        assertEquals(40, result.get("acknowledged").size(), () -> "writes failed: " + result + "\n" + read(err));
        assertEquals(0, result.get("errors").size(), result::toString);
        assertEquals(result.get("acknowledged"), result.get("listed"), "an acknowledged write is missing");
        assertEquals("[\"set\",\"/failover/k20\",\"v20\"]", result.get("watch").toString(),
            "the parked watch did not resume on another member");
        assertTrue(result.get("serving").asBoolean(), "the client still names the dead member");
        MemberProcess next = cluster.awaitLeader(10_000);
        assertNotEquals(leader, next);
      } finally {
        if (python.isAlive()) {
          python.destroyForcibly();
          python.waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
