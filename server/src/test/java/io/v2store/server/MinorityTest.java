package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that cannot reach a quorum must not pretend: writes and quorum reads get etcd's
 * 500 / error 300 "request timed out", plain reads keep answering from local state, /health turns
 * 503; when the others come back it serves writes again with no operator action.
 */
class MinorityTest {
  private static final String TIMED_OUT =
      "{\"errorCode\":300,\"message\":\"Raft Internal Error\","
          + "\"cause\":\"etcdserver: request timed out\",\"index\":0}\n";
  private static final String STOPPED =
      "{\"errorCode\":300,\"message\":\"Raft Internal Error\","
          + "\"cause\":\"etcdserver: server stopped\",\"index\":0}\n";

  @TempDir
  Path tmp;

  @Test
  void aLoneMemberRefusesWritesAndQuorumReadsUntilTheOthersReturn() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try {
      // A shorter election timeout shortens the request timeout (5 s + two of them) both
      // refusals below wait out; the behaviour is the same at any timeout.
      String initial = ServerProcess.startCluster(tmp, List.of("a", "b", "c"),
          List.of("--heartbeat-interval", "50", "--election-timeout", "500"), all);
      ServerProcess a = all.get(0);
      assertEquals(201, Http.put(a, "/v2/keys/k", "value=1").statusCode());

      all.get(1).kill9();
      all.get(2).kill9();

      // The write and the quorum read each wait out the request timeout: waited for together.
      // The read is sent once a knows no leader, as it was when it followed the write's answer.
      CompletableFuture<HttpResponse<String>> write =
          inBackground(() -> Http.put(a, "/v2/keys/k", "value=2"));
      awaitLeaderKnown(a, false);
      CompletableFuture<HttpResponse<String>> quorumRead =
          inBackground(() -> Http.get(a, "/v2/keys/k?quorum=true"));
      HttpResponse<String> plainRead = Http.get(a, "/v2/keys/k");
      assertEquals(200, plainRead.statusCode());
      assertTrue(plainRead.body().contains("\"value\":\"1\""), plainRead.body());
      assertEquals(503, Http.get(a, "/health").statusCode());
      HttpResponse<String> writeAnswer = answerTo(write);
      assertEquals(500, writeAnswer.statusCode());
      assertEquals(TIMED_OUT, writeAnswer.body());
      HttpResponse<String> quorumReadAnswer = answerTo(quorumRead);
      assertEquals(500, quorumReadAnswer.statusCode());
      assertEquals(TIMED_OUT, quorumReadAnswer.body());

      ServerProcess.startTogether(all.subList(1, 3), initial);
      // A write a takes while it knows no leader is dropped and, as etcd's, waits out the request
      // timeout: the first write is sent once a has heard from the new leader.
      awaitLeaderKnown(a, true);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (Http.put(a, "/v2/keys/k", "value=3").statusCode() != 200) {
        assertTrue(System.nanoTime() < deadline, "writes did not resume; log:\n" + a.logTail());
      }
      assertTrue(Http.get(all.get(2), "/v2/keys/k?quorum=true").body().contains("\"value\":\"3\""));
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }

  /**
   * A write still waiting for a quorum when its member is stopped (SIGTERM) is answered as etcd
   * 3.4.23 answers it, 500 / error 300 "server stopped", rather than by a connection closed
   * without an answer (which python-etcd, for one, reads as a reason to send it again elsewhere).
   */
  @Test
  void aWriteWaitingWhenItsMemberStopsIsToldTheServerStopped() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try {
      ServerProcess.startCluster(tmp, List.of("a", "b", "c"), all);
      ServerProcess a = all.get(0);
      all.get(1).kill9();
      all.get(2).kill9();
      CompletableFuture<HttpResponse<String>> write =
          inBackground(() -> Http.put(a, "/v2/keys/registered", "value=1&ttl=30"));
      // the member has the write and waits for a quorum (well within the request timeout)
      awaitCounted(a, "etcd_server_proposals_pending");
      assertTrue(!write.isDone(), () -> "answered before the stop: " + write.join().body());
      a.close();
      HttpResponse<String> answer = answerTo(write);
      assertEquals(500, answer.statusCode());
      assertEquals(STOPPED, answer.body());
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }

  /**
   * The same for a quorum read, which etcd 3.4 puts through the log as a write, and a member
   * change, which gets the members API's generic 500: both used to get their connection closed
   * with no answer when the stop's wait for answers ran out before their own timeout.
   */
  @Test
  void aQuorumReadAndAMemberChangeWaitingWhenTheirMemberStopsAreAnswered() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try {
      ServerProcess.startCluster(tmp, List.of("a", "b", "c"), all);
      ServerProcess a = all.get(0);
      String bId = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
          .readTree(Http.get(all.get(1), "/v2/stats/self").body()).get("id").asText();
      all.get(1).kill9();
      all.get(2).kill9();
      // Once a knows no leader, a quorum read waits for one (a read confirmed by a leader that
      // then steps down is answered "request timed out" at once instead).
      awaitLeaderKnown(a, false);
      CompletableFuture<HttpResponse<String>> read =
          inBackground(() -> Http.get(a, "/v2/keys/registered?quorum=true"));
      CompletableFuture<HttpResponse<String>> change = inBackground(() -> Http.as(a, null, "PUT",
          "/v2/members/" + bId, "{\"peerURLs\":[\"http://127.0.0.1:1\"]}"));
      // the member has the read (well within the request timeout); no counter shows a member
      // change waiting, so that one is given the same second as before
      awaitCounted(a, "etcd_http_received_total{method=\"QGET\"}");
      Thread.sleep(1_000);
      assertTrue(!read.isDone(), () -> "answered before the stop: " + read.join().body());
      assertTrue(!change.isDone(), () -> "answered before the stop: " + change.join().body());
      a.close();
      HttpResponse<String> readAnswer = answerTo(read);
      assertEquals(500, readAnswer.statusCode());
      assertEquals(STOPPED, readAnswer.body());
      HttpResponse<String> changeAnswer = answerTo(change);
      assertEquals(500, changeAnswer.statusCode());
      assertEquals("{\"message\":\"Internal Server Error\"}", changeAnswer.body().strip());
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }

  /** Waits, with a deadline, until a's /metrics shows the series at 1 or more. */
  private static void awaitCounted(ServerProcess a, String series) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!(MetricsText.value(Http.get(a, "/metrics").body(), series) >= 1)) {
      assertTrue(System.nanoTime() < deadline, series + " never reached 1: " + a.logTail());
      Thread.sleep(20);
    }
  }

  /** Waits, with a deadline, until a's /v2/stats/self names a leader (known) or none. */
  private static void awaitLeaderKnown(ServerProcess a, boolean known) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (Http.get(a, "/v2/stats/self").body().contains("\"leaderInfo\":{\"leader\":\"\"")
        == known) {
      assertTrue(System.nanoTime() < deadline,
          (known ? "a never learned a leader: " : "a never lost its leader: ") + a.logTail());
      Thread.sleep(20);
    }
  }

  private interface Call {
    HttpResponse<String> send() throws Exception;
  }

  private static CompletableFuture<HttpResponse<String>> inBackground(Call call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.send();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
  }

  private static HttpResponse<String> answerTo(CompletableFuture<HttpResponse<String>> request) {
    return request.handle((r, e) -> {
      if (e != null) throw new AssertionError("no answer: " + e.getCause(), e);
      return r;
    }).join();
  }
}
