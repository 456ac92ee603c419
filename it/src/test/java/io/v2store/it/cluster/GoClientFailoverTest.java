package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.v2store.it.GoClient;
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
      try (TwoPhaseClient go = new TwoPhaseClient("failover.go", new ProcessBuilder(command),
          dir.resolve("out.txt"), dir.resolve("err.txt"))) {
        String firstPhase = go.awaitFirstPhase();
        assertTrue(firstPhase.contains("phase 1 done, leader at " + leader.clientUrl.toString().replaceAll("/$", "")),
            () -> "the client does not name " + leader.clientUrl + " as the leader:\n" + firstPhase);
        leader.kill9();
        JsonNode result = go.finish();

        assertEquals(0, result.get("errors").size(), result::toString);
        assertEquals(40, result.get("acknowledged").size(), result::toString);
        assertEquals(result.get("acknowledged"), result.get("listed"), "an acknowledged write is missing");
        assertEquals("[\"set\",\"/failover/k20\",\"v20\"]", result.get("watch").toString(),
            "the parked watch did not resume on another member");
        MemberProcess next = cluster.awaitLeader(10_000);
        assertNotEquals(leader, next);
      }
    } finally {
      GoClient.deleteBuildDir(dir);
    }
  }
}
