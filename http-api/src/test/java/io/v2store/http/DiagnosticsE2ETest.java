package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** etcd's diagnostics on the client port: /debug/vars and /config/local/log (answers as etcd's). */
class DiagnosticsE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServerFixture f;
  private static Level before;

  @BeforeAll
  static void start() {
    before = Logger.getLogger("").getLevel();
    f = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    Logger.getLogger("").setLevel(before);
    f.close();
  }

  @Test
  void debugVarsHasEtcdsVariablesInItsLayout() throws Exception {
    HttpResponse<String> r = f.get("/debug/vars");
    assertEquals(200, r.statusCode());
    assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").get());
    String body = r.body();
    assertTrue(body.startsWith("{\n\"cmdline\": ["), body);
    assertTrue(body.endsWith("\n}\n"), body);
    assertTrue(body.contains("\n\"raft.status\": {\"id\":\"1\",\"term\":2,\"vote\":\"1\","
        + "\"commit\":5,\"lead\":\"1\",\"raftState\":\"StateLeader\",\"applied\":5,\"progress\":"
        + "{\"1\":{\"match\":5,\"next\":6,\"state\":\"StateReplicate\"}},\"leadtransferee\":\"0\"}"),
        body);
    JsonNode vars = JSON.readTree(body);
    assertEquals(List.of("cmdline", "file_descriptor_limit", "memstats", "raft.status"),
        iterate(vars.fieldNames()));
    assertTrue(vars.get("cmdline").get(0).asText().contains("java"), body);
    assertTrue(vars.get("file_descriptor_limit").asLong() > 0, body);
    JsonNode mem = vars.get("memstats");
    assertTrue(mem.get("HeapAlloc").asLong() > 0 && mem.get("HeapSys").asLong() >= mem.get("HeapAlloc").asLong(), body);
    assertEquals(mem.get("HeapSys").asLong() - mem.get("HeapInuse").asLong(), mem.get("HeapIdle").asLong());
    assertTrue(mem.has("NumGC") && mem.has("PauseTotalNs") && mem.has("TotalAlloc"), body);
  }

  @Test
  void debugVarsStillAnswersWhenRaftDoesNot() throws Exception {
    CompletableFuture<String> answering = f.backend.raftStatus;
    f.backend.raftStatus = new CompletableFuture<>();
    try {
      HttpResponse<String> r = f.get("/debug/vars");
      assertEquals(200, r.statusCode());
      assertTrue(r.body().endsWith("\"raft.status\": null\n}\n"), r.body());
    } finally {
      f.backend.raftStatus = answering;
    }
  }

  @Test
  void debugVarsIsGetOnly() throws Exception {
    for (String method : List.of("HEAD", "POST", "PUT")) {
      HttpResponse<String> r = f.send(method, "/debug/vars");
      assertEquals(405, r.statusCode(), method);
      assertEquals("GET", r.headers().firstValue("Allow").get(), method);
    }
  }

  @Test
  void logLevelIsSetByEtcdsNames() throws Exception {
    HttpResponse<String> r = put("{\"Level\":\"debug\"}");
    assertEquals(204, r.statusCode());
    assertEquals("", r.body());
    assertFalse(r.headers().firstValue("Content-Length").isPresent());
    assertEquals(Level.FINE, Logger.getLogger("").getLevel());
    assertEquals(204, put("{\"level\":\"W\",\"other\":1} trailing").statusCode());
    assertEquals(Level.WARNING, Logger.getLogger("").getLevel());
    assertEquals(204, put("{\"LEVEL\":\"5\"}").statusCode());
    assertEquals(Level.FINEST, Logger.getLogger("").getLevel());
    assertEquals(204, put("{\"Level\":\"BOGUS\",\"level\":\"info\"}").statusCode(), "the last wins");
    assertEquals(Level.INFO, Logger.getLogger("").getLevel());
  }

  @Test
  void badLevelsAndBodiesAreRefusedAsEtcdRefusesThem() throws Exception {
    Level now = Logger.getLogger("").getLevel();
    String[][] cases = {
        {"{\"Level\":\"WARN\"}", "{\"message\":\"Invalid log level WARN\"}"},
        {"{\"Level\":\" INFO\"}", "{\"message\":\"Invalid log level  INFO\"}"},
        {"{}", "{\"message\":\"Invalid log level \"}"},
        {"null", "{\"message\":\"Invalid log level \"}"},
        {"{\"Level\":null}", "{\"message\":\"Invalid log level \"}"},
        {"{\"Level\":5}", "{\"message\":\"Invalid json body\"}"},
        {"", "{\"message\":\"Invalid json body\"}"},
        {"[]", "{\"message\":\"Invalid json body\"}"},
        {"\"INFO\"", "{\"message\":\"Invalid json body\"}"},
        {"{\"Level\":\"INFO\"", "{\"message\":\"Invalid json body\"}"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = put(c[0]);
      assertEquals(400, r.statusCode(), c[0]);
      assertEquals(c[1], r.body(), c[0]);
      assertEquals("application/json", r.headers().firstValue("Content-Type").get(), c[0]);
    }
    assertEquals(now, Logger.getLogger("").getLevel());
    HttpResponse<String> get = f.get("/config/local/log");
    assertEquals(405, get.statusCode());
    assertEquals("PUT", get.headers().firstValue("Allow").get());
    assertEquals("Method Not Allowed\n", get.body());
  }

  @Test
  void atDebugEveryRequestIsLoggedAsEtcdLogsIt() throws Exception {
    try (LogCapture capture = new LogCapture(Logger.getLogger(RoutingHandler.class.getName()),
        java.util.logging.Level.ALL)) {
      List<String> seen = capture.messages;
      assertEquals(204, put("{\"Level\":\"DEBUG\"}").statusCode());
      f.get("/v2/keys/a%20b?recursive=true");
      assertTrue(seen.stream().anyMatch(m -> m.matches(
          "\\[GET] /v2/keys/a%20b\\?recursive=true remote:127\\.0\\.0\\.1:\\d+")), seen.toString());
      assertEquals(204, put("{\"Level\":\"INFO\"}").statusCode());
      seen.clear();
      f.get("/v2/keys/quiet");
      assertTrue(seen.stream().noneMatch(m -> m.contains("/v2/keys/quiet")), seen.toString());
    }
  }

  @Test
  void levelNamesAreCapnslogs() {
    assertEquals("NOTICE", LogLevelEndpoint.parse("n").name());
    assertEquals("CRITICAL", LogLevelEndpoint.parse("critical").name());
    assertEquals("ERROR", LogLevelEndpoint.parse("0").name());
    assertNull(LogLevelEndpoint.parse("6"));
    assertNull(LogLevelEndpoint.parse("-1"));
    assertThrows(LogLevelEndpoint.BadBody.class, () -> LogLevelEndpoint.level("true"));
  }

  private static HttpResponse<String> put(String body) throws Exception {
    return f.send(HttpRequest.newBuilder(f.uri("/config/local/log"))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static List<String> iterate(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
