package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /debug/vars on a three-member cluster: raft.status as etcd's, with every member's match and
 * next on the leader (what shows a lagging follower), none on the followers, which name the
 * leader; and /config/local/log changes a running member's level.
 */
class DebugVarsClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void theLeaderShowsEachMembersReplicationAndFollowersTheirLeader() throws Exception {
    List<ServerProcess> members = new ArrayList<>();
    try {
      ServerProcess.startCluster(dir, List.of("n1", "n2", "n3"), members);
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(201, http.send(HttpRequest.newBuilder(URI.create(members.get(0).clientUrl()
              + "/v2/keys/p")).header("Content-Type", "application/x-www-form-urlencoded")
          .PUT(HttpRequest.BodyPublishers.ofString("value=1")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());

      // every member has applied the write once the leader's progress shows all three at its
      // commit index: until then the figures move
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<JsonNode> status;
      do {
        status = new ArrayList<>();
        for (ServerProcess m : members) status.add(raftStatus(http, m));
      } while (!settled(status) && System.nanoTime() < deadline && sleep());
      assertTrue(settled(status), status.toString());

      JsonNode leader = status.stream().filter(s -> s.get("raftState").asText().equals("StateLeader"))
          .findFirst().orElseThrow();
      Set<String> ids = new HashSet<>();
      status.forEach(s -> ids.add(s.get("id").asText()));
      assertEquals(ids, iterate(leader.get("progress").fieldNames()));
      long commit = leader.get("commit").asLong();
      leader.get("progress").forEach(p -> {
        assertEquals(commit, p.get("match").asLong(), leader.toString());
        assertEquals(commit + 1, p.get("next").asLong(), leader.toString());
        assertEquals("StateReplicate", p.get("state").asText(), leader.toString());
      });
      for (JsonNode s : status) {
        assertEquals(leader.get("id").asText(), s.get("lead").asText(), s.toString());
        assertEquals(leader.get("term").asLong(), s.get("term").asLong(), s.toString());
        assertEquals("0", s.get("leadtransferee").asText(), s.toString());
        if (s != leader) {
          assertEquals("StateFollower", s.get("raftState").asText(), s.toString());
          assertEquals(0, s.get("progress").size(), s.toString());
        }
      }

      ServerProcess one = members.get(0);
      assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(one.clientUrl()
          + "/config/local/log")).PUT(HttpRequest.BodyPublishers.ofString("{\"Level\":\"debug\"}"))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
      assertTrue(one.log().contains("log level set to \"DEBUG\""), one.logTail());
    } finally {
      for (ServerProcess m : members) m.close();
    }
  }

  /** Each member has applied what the leader committed, and the leader sees each match it. */
  private static boolean settled(List<JsonNode> status) {
    JsonNode leader = status.stream().filter(s -> s != null
        && s.path("raftState").asText().equals("StateLeader")).findFirst().orElse(null);
    if (leader == null || leader.get("progress").size() != status.size()) return false;
    long commit = leader.get("commit").asLong();
    for (JsonNode s : status) {
      if (s == null || s.get("applied").asLong() != commit) return false;
    }
    for (JsonNode p : leader.get("progress")) {
      if (p.get("match").asLong() != commit) return false;
    }
    return true;
  }

  private static JsonNode raftStatus(HttpClient http, ServerProcess m) {
    try {
      String body = http.send(HttpRequest.newBuilder(URI.create(m.clientUrl() + "/debug/vars"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return JSON.readTree(body).get("raft.status");
    } catch (Exception notYet) {
      return null;
    }
  }

  private static boolean sleep() {
    try {
      Thread.sleep(100);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Set<String> iterate(java.util.Iterator<String> it) {
    Set<String> out = new HashSet<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
