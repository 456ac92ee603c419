package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.v2store.it.PythonEtcd;
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
      try (TwoPhaseClient python = new TwoPhaseClient("failover.py",
          PythonEtcd.command("failover.py", urls, err), out, err)) {
        python.awaitFirstPhase();
        leader.kill9();
        JsonNode result = python.finish();

        assertEquals(40, result.get("acknowledged").size(), () -> "writes failed: " + result + "\n" + python.output());
        assertEquals(0, result.get("errors").size(), result::toString);
        assertEquals(result.get("acknowledged"), result.get("listed"), "an acknowledged write is missing");
        assertEquals("[\"set\",\"/failover/k20\",\"v20\"]", result.get("watch").toString(),
            "the parked watch did not resume on another member");
        assertTrue(result.get("serving").asBoolean(), "the client still names the dead member");
        MemberProcess next = cluster.awaitLeader(10_000);
        assertNotEquals(leader, next);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    }
  }
}
