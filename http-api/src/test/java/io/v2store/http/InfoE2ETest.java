package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /version, /health, /v2/machines, /v2/stats/self and /leader, /metrics. */
class InfoE2ETest {
  private static ServerFixture f;

  @BeforeAll
  static void start() {
    f = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void version() throws Exception {
    HttpResponse<String> r = f.get("/version");
    assertEquals(200, r.statusCode());
    assertEquals("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}", r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").get());
  }

  @Test
  void healthIsBoundedToOneSecond() throws Exception {
    HttpResponse<String> ok = f.get("/health");
    assertEquals(200, ok.statusCode());
    assertEquals("{\"health\":\"true\"}", ok.body());
    assertEquals("text/plain; charset=utf-8", ok.headers().firstValue("Content-Type").get());
    f.backend.health = new CompletableFuture<>(); // never answers
    try {
      HttpResponse<String> stuck = f.get("/health");
      assertEquals(503, stuck.statusCode());
      assertEquals("{\"health\":\"false\"}\n", stuck.body());
      f.backend.health = CompletableFuture.completedFuture(false);
      assertEquals(503, f.get("/health").statusCode());
    } finally {
      f.backend.health = CompletableFuture.completedFuture(true);
    }
  }

  @Test
  void machinesAreSortedAndCommaSpaceSeparated() throws Exception {
    HttpResponse<String> r = f.get("/v2/machines");
    assertEquals(200, r.statusCode());
    assertEquals("http://127.0.0.1:12379, http://127.0.0.1:2379", r.body());
    assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").get());
  }

  @Test
  void selfAndLeaderStats() throws Exception {
    HttpResponse<String> self = f.get("/v2/stats/self");
    assertEquals(200, self.statusCode());
    assertFalse(self.headers().firstValue("X-Etcd-Cluster-Id").isPresent());
    String body = self.body();
    assertTrue(body.startsWith("{\"name\":\"default\",\"id\":\"2e1259d415f2a040\","
        + "\"state\":\"StateLeader\",\"startTime\":\"1970-01-01T00:00:01Z\","
        + "\"leaderInfo\":{\"leader\":\"2e1259d415f2a040\",\"uptime\":\""), body);
    assertTrue(body.endsWith("\",\"startTime\":\"1970-01-01T00:00:02Z\"},"
        + "\"recvAppendRequestCnt\":3,\"sendAppendRequestCnt\":4,\"sendPkgRate\":1.5}"), body);
    HttpResponse<String> leader = f.get("/v2/stats/leader");
    assertEquals("{\"leader\":\"2e1259d415f2a040\",\"followers\":{\"beef\":{\"latency\":"
        + "{\"current\":1.5,\"average\":2.25,\"standardDeviation\":0.5,\"minimum\":1,"
        + "\"maximum\":4},\"counts\":{\"fail\":0,\"success\":7}}}}", leader.body());
    f.backend.leader = false;
    try {
      HttpResponse<String> follower = f.get("/v2/stats/leader");
      assertEquals(403, follower.statusCode());
      assertEquals("{\"message\":\"not current leader\"}", follower.body());
    } finally {
      f.backend.leader = true;
    }
  }

  @Test
  void metricsCountRequestsInPrometheusText() throws Exception {
    f.get("/version");
    f.send("PATCH", "/v2/keys/x");
    HttpResponse<String> r = f.get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").get().startsWith("text/plain"));
    assertTrue(r.body().contains("etcd_http_requests_total{code=\"200\",method=\"GET\"}"),
        r.body());
    assertTrue(r.body().contains("etcd_http_requests_total{code=\"405\",method=\"PATCH\"}"),
        r.body());
    assertTrue(r.body().contains("etcd_http_watchers_parked "), r.body());
  }
}
