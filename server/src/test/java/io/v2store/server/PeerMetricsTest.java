package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd_network_peer_* on a three-member cluster, by etcd's names and labels: members count the
 * bytes of Raft messages they send to and receive from each peer; the leader has a round-trip histogram per
 * follower; a member that stops makes the leader count failed sends to it.
 */
class PeerMetricsTest {
  private static final Pattern MEMBER = Pattern.compile("\"id\":\"([0-9a-f]+)\",\"name\":\"(n\\d)\"");

  @TempDir
  Path dir;

  @Test
  void membersCountWhatTheySendEachPeerAndTheLeaderTimesItsFollowers() throws Exception {
    List<ServerProcess> members = new ArrayList<>();
    try {
      ServerProcess.startCluster(dir, List.of("n1", "n2", "n3"), members);
      HttpClient http = HttpClient.newHttpClient();
      String list = get(http, members.get(0).clientUrl() + "/v2/members");
      Map<String, String> ids = new java.util.HashMap<>();
      for (Matcher m = MEMBER.matcher(list); m.find(); ) ids.put(m.group(2), m.group(1));
      assertTrue(ids.size() == 3, list);
      http.send(HttpRequest.newBuilder(URI.create(members.get(0).clientUrl() + "/v2/keys/p"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .PUT(HttpRequest.BodyPublishers.ofString("value=1")).build(),
          HttpResponse.BodyHandlers.discarding());
      ServerProcess leader = ServerProcess.leaderAmong(members);
      assertTrue(leader != null, "no leader");
      // Raft messages flow between the leader and each follower (followers talk to each other
      // only in elections)
      for (ServerProcess m : members) {
        List<ServerProcess> talksTo = m == leader ? members : List.of(leader);
        String metrics = get(http, m.clientUrl() + "/metrics");
        for (ServerProcess other : talksTo) {
          if (other == m) continue;
          String id = ids.get(other.name());
          assertTrue(positive(metrics, "etcd_network_peer_sent_bytes_total{To=\"" + id + "\"}"),
              m.name() + " sent nothing to " + other.name() + ":\n" + metrics);
          assertTrue(positive(metrics, "etcd_network_peer_received_bytes_total{From=\"" + id
              + "\"}"), m.name() + " received nothing from " + other.name());
        }
      }
      ServerProcess follower = members.get(0) == leader ? members.get(1) : members.get(0);
      String followerId = ids.get(follower.name());
      String leaderUrl = leader.clientUrl();
      // heartbeats go out every 100 ms: a round trip is timed within a second or so
      awaitTrue(() -> positive(get(http, leaderUrl + "/metrics"),
          "etcd_network_peer_round_trip_time_seconds_bucket{To=\"" + followerId
              + "\",le=\"+Inf\"}"), "the leader never timed a round trip to " + follower.name());
      follower.kill9();
      awaitTrue(() -> positive(get(http, leaderUrl + "/metrics"),
          "etcd_network_peer_sent_failures_total{To=\"" + followerId + "\"}"),
          "the leader never counted a failed send to the stopped " + follower.name());
    } finally {
      for (ServerProcess m : members) m.close();
    }
  }

  /**
   * A leader held up for 5 heartbeat intervals (stopped by SIGSTOP, as a long GC pause or a
   * stalled disk would hold it; under the election timeout, so it stays leader) sends its next
   * heartbeats late: it counts them and logs etcd's warning.
   */
  @Test
  void aLeaderHeldUpCountsItsLateHeartbeats() throws Exception {
    List<ServerProcess> members = new ArrayList<>();
    try {
      ServerProcess.startCluster(dir, List.of("n1", "n2", "n3"), members);
      HttpClient http = HttpClient.newHttpClient();
      ServerProcess leader = ServerProcess.leaderAmong(members);
      assertTrue(leader != null, "no leader");
      String url = leader.clientUrl() + "/metrics";
      double before = MetricsText.value(get(http, url), "etcd_server_heartbeat_send_failures_total");
      leader.signal("STOP");
      Thread.sleep(500);
      leader.signal("CONT");
      awaitTrue(() -> MetricsText.value(get(http, url), "etcd_server_heartbeat_send_failures_total") > before,
          "the leader counted no late heartbeat after a 500 ms stop");
      ServerProcess held = leader;
      awaitTrue(() -> {
        try {
          return held.log().contains("leader failed to send out heartbeat on time");
        } catch (java.io.IOException e) {
          return false;
        }
      }, "no warning in the leader's log");
    } finally {
      for (ServerProcess m : members) m.close();
    }
  }

  /**
   * Quorum reads a follower has forwarded to a leader that stops answering (SIGSTOP, past the
   * election timeout) are given up when another leader is elected: the follower counts them in
   * etcd_server_read_indexes_failed_total, and the batches it sent beside the unanswered one in
   * etcd_server_slow_read_indexes_total.
   */
  @Test
  void aFollowersReadsOutToALeaderThatIsGoneCountAsFailed() throws Exception {
    List<ServerProcess> members = new ArrayList<>();
    ServerProcess leader = null;
    try {
      ServerProcess.startCluster(dir, List.of("n1", "n2", "n3"), members);
      HttpClient http = HttpClient.newHttpClient();
      leader = ServerProcess.leaderAmong(members);
      assertTrue(leader != null, "no leader");
      ServerProcess follower = members.get(0) == leader ? members.get(1) : members.get(0);
      String url = follower.clientUrl() + "/metrics";
      double failedBefore = MetricsText.value(get(http, url), "etcd_server_read_indexes_failed_total");
      double slowBefore = MetricsText.value(get(http, url), "etcd_server_slow_read_indexes_total");
      leader.signal("STOP");
      HttpRequest read = HttpRequest.newBuilder(
          URI.create(follower.clientUrl() + "/v2/keys/?quorum=true")).timeout(Duration.ofSeconds(10)).build();
      awaitTrue(() -> {
        http.sendAsync(read, HttpResponse.BodyHandlers.discarding()); // one more read each poll
        return MetricsText.value(get(http, url), "etcd_server_read_indexes_failed_total") > failedBefore;
      }, "the follower counted no failed read index round");
      assertTrue(MetricsText.value(get(http, url), "etcd_server_slow_read_indexes_total") > slowBefore,
          "reads waited past two heartbeats, yet no slow read index round was counted");
    } finally {
      if (leader != null) leader.signal("CONT");
      for (ServerProcess m : members) m.close();
    }
  }

  private static boolean positive(String metrics, String series) {
    return MetricsText.value(metrics, series) > 0;
  }

  private static String get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception notYet) {
      return "";
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String failure)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return;
      Thread.sleep(100);
    }
    assertTrue(condition.getAsBoolean(), failure);
  }
}
