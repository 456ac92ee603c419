package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.v2store.it.GoClient;
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
 * A Go program on etcd's own v2 client ({@code go-client/failover.go}), given all three members
 * and set to prefer the leader, loses the leader (SIGKILL) between two batches of writes, with a
 * watch parked on it: the client must carry on through another member by itself, lose no
 * acknowledged write, and its watch must resume elsewhere from its index and get the next write.
 */
class GoClientFailoverTest {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void theClientMovesToAnotherMemberWhenTheLeaderDies() throws Exception {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    GoClient.require();
    Path dir = Files.createTempDirectory("go-failover-");
    try (LocalCluster cluster = new LocalCluster(3)) {
      Path program = GoClient.build("failover", dir);
      MemberProcess leader = cluster.awaitLeader(10_000);
      List<String> command = new ArrayList<>(List.of(program.toString()));
      cluster.members.forEach(m -> command.add(m.clientUrl.toString()));
      Path out = dir.resolve("out.txt");
      Path err = dir.resolve("err.txt");
      Process go = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try {
        ClusterPoll.require(60_000, "failover.go's first batch", () -> read(out).contains("phase 1 done")
            || !go.isAlive());
        assertTrue(go.isAlive(), () -> "failover.go exited early:\n" + read(out) + read(err));
        assertTrue(read(out).contains("phase 1 done, leader at " + leader.clientUrl.toString().replaceAll("/$", "")),
            () -> "the client does not name " + leader.clientUrl + " as the leader:\n" + read(out));
        leader.kill9();
        try (OutputStream stdin = go.getOutputStream()) {
          stdin.write("killed\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(go.waitFor(120, TimeUnit.SECONDS), () -> "failover.go hung:\n" + read(out) + read(err));
        assertEquals(0, go.exitValue(), () -> "failover.go failed:\n" + read(out) + read(err));
        String[] lines = read(out).strip().split("\n");
        JsonNode result = new ObjectMapper().readTree(lines[lines.length - 1]);

        assertEquals(0, result.get("errors").size(), result::toString);
        assertEquals(40, result.get("acknowledged").size(), result::toString);
        assertEquals(result.get("acknowledged"), result.get("listed"), "an acknowledged write is missing");
        assertEquals("[\"set\",\"/failover/k20\",\"v20\"]", result.get("watch").toString(),
            "the parked watch did not resume on another member");
        MemberProcess next = cluster.awaitLeader(10_000);
        assertNotEquals(leader, next);
      } finally {
        if (go.isAlive()) {
          go.destroyForcibly();
          go.waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      GoClient.deleteBuildDir(dir);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
