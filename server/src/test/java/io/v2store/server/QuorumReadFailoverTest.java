package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quorum reads a follower has forwarded to a leader that goes away (here paused by SIGSTOP, past
 * the election timeout) are answered once the next leader confirms them, within their request's
 * time: a read may be repeated freely, so a failover costs its readers a wait, not an error.
 * etcd 3.4 answers them 500 "request timed out".
 */
class QuorumReadFailoverTest {
  private static final int READS = 8;

  @TempDir
  Path dir;

  @Test
  void readsOutToALeaderThatIsGoneAreAnsweredByTheNextOne() throws Exception {
    List<ServerProcess> members = new ArrayList<>();
    ServerProcess leader = null;
    try {
      ServerProcess.startCluster(dir, List.of("n1", "n2", "n3"), members);
      HttpClient http = HttpClient.newHttpClient();
      leader = ServerProcess.leaderAmong(members);
      assertNotNull(leader, "no leader");
      ServerProcess follower = members.get(0) == leader ? members.get(1) : members.get(0);
      assertEquals(201, Http.put(follower, "/v2/keys/k", "value=before").statusCode());

      leader.signal("STOP");
      // Sent once the leader is paused: none can be confirmed before another leader is elected.
      HttpRequest read = HttpRequest.newBuilder(
          URI.create(follower.clientUrl() + "/v2/keys/k?quorum=true"))
          .timeout(Duration.ofSeconds(30)).build();
      List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
      for (int i = 0; i < READS; i++) {
        reads.add(http.sendAsync(read, HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> r : reads) {
        HttpResponse<String> answer = r.get(60, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer::body);
        assertTrue(answer.body().contains("\"value\":\"before\""), answer.body());
      }
      ServerProcess paused = leader;
      assertTrue(members.stream().filter(m -> m != paused).anyMatch(ServerProcess::leads),
          "the reads were answered, yet no other member leads");
    } finally {
      if (leader != null) leader.signal("CONT");
      for (ServerProcess m : members) m.close();
    }
  }
}
