package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service-discovery case on a cluster: a server registers itself with a TTL through a
 * follower, and the leader dies. The new leader must expire it (one expire event, at the same
 * index on every member, the restarted one included), and a key kept alive by refreshes must
 * outlive the leader change without an event.
 */
class ClusterTtlTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "/v2/keys/app/server/5000";
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aRegistrationExpiresOnEveryMemberAfterTheLeaderDies() throws Exception {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    try (LocalCluster cluster = new LocalCluster(3)) {
      MemberProcess leader = cluster.awaitLeader(10_000);
      MemberProcess follower = otherThan(cluster, leader);
      long setIndex = register(follower, "value=10.0.0.7:5000&ttl=2");
      // confd's long poll, parked on a member that survives
      CompletableFuture<HttpResponse<String>> watch = http.sendAsync(
          get(follower, "/v2/keys/app/server?wait=true&recursive=true&waitIndex=" + (setIndex + 1),
              60), HttpResponse.BodyHandlers.ofString());
      leader.kill9();
      cluster.awaitLeader(10_000);

      JsonNode event = JSON.readTree(watch.get(30, TimeUnit.SECONDS).body());
      assertEquals("expire", event.path("action").asText(), event.toString());
      assertEquals("/app/server/5000", event.path("node").path("key").asText());
      assertEquals("10.0.0.7:5000", event.path("prevNode").path("value").asText());
      long expiredAt = event.path("node").path("modifiedIndex").asLong();
      assertTrue(expiredAt > setIndex, event.toString());

      cluster.start(leader);
      cluster.awaitHealthy(leader);
      for (MemberProcess m : cluster.members) {
        ClusterPoll.require(20_000, m.name + " to have the key expired", () -> status(m, KEY) == 404);
        // the same expire event, from each member's own history
        JsonNode seen = JSON.readTree(http.send(get(m, KEY + "?wait=true&waitIndex=" + (setIndex + 1),
            10), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("expire", seen.path("action").asText(), m.name + ": " + seen);
        assertEquals(expiredAt, seen.path("node").path("modifiedIndex").asLong(), m.name + ": " + seen);
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aRefreshedRegistrationOutlivesALeaderChange() throws Exception {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    try (LocalCluster cluster = new LocalCluster(3)) {
      MemberProcess leader = cluster.awaitLeader(10_000);
      MemberProcess follower = otherThan(cluster, leader);
      long setIndex = register(follower, "value=10.0.0.7:5000&ttl=3");
      CompletableFuture<HttpResponse<String>> watch = http.sendAsync(
          get(follower, KEY + "?wait=true&waitIndex=" + (setIndex + 1), 60),
          HttpResponse.BodyHandlers.ofString());
      // A refresh every 300 ms for at least 6 s, twice the TTL, with the leader killed after the
      // first second. Refreshes sent while there is no leader may fail; the TTL covers the gap.
      // It goes on (bounded) until ten have gone through: a slow machine answers fewer in 6 s.
      int refreshed = 0;
      long start = System.nanoTime();
      boolean killed = false;
      while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6)
          || (refreshed < 10 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30))) {
        if (!killed && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(1)) {
          leader.kill9();
          killed = true;
        }
        if (refresh(follower, 3) == 200) refreshed++;
        assertEquals(200, status(follower, KEY), "the registration vanished while refreshed");
        Thread.sleep(300);
      }
      assertTrue(killed);
      assertTrue(refreshed >= 10, "too few refreshes went through: " + refreshed);
      assertFalse(watch.isDone(), () -> "a refresh woke a watcher: " + watch.join().body());

      // stop refreshing: it expires now, with the watcher woken by the expiry
      JsonNode event = JSON.readTree(watch.get(30, TimeUnit.SECONDS).body());
      assertEquals("expire", event.path("action").asText(), event.toString());
    }
  }

  private static MemberProcess otherThan(LocalCluster cluster, MemberProcess leader) {
    return cluster.members.stream().filter(m -> m != leader).findFirst().orElseThrow();
  }

  /** PUTs the key through m; its modifiedIndex. */
  private long register(MemberProcess m, String form) throws Exception {
    HttpRequest put = HttpRequest.newBuilder(m.clientUrl.resolve(KEY))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("node").path("modifiedIndex").asLong();
  }

  private int refresh(MemberProcess m, int ttl) throws InterruptedException {
    HttpRequest put = HttpRequest.newBuilder(m.clientUrl.resolve(KEY))
        .timeout(Duration.ofSeconds(2))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString("refresh=true&prevExist=true&ttl=" + ttl)).build();
    try {
      return http.send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException timedOut) {
      return -1;
    }
  }

  private int status(MemberProcess m, String path) {
    try {
      return http.send(get(m, path, 5), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static HttpRequest get(MemberProcess m, String path, int timeoutSeconds) {
    URI uri = m.clientUrl.resolve(path);
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeoutSeconds)).GET().build();
  }
}
