package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.storage.store.Event;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Watches as parked responses: framing, history, fan-out, disconnects, slow clients, shutdown. */
class WatchE2ETest {
  private static final int HISTORY = 5;
  private ServerFixture f;

  @BeforeEach
  void start() {
    f = new ServerFixture(ServerFixture.config(List.of("*"), 1 << 20, 7_000), HISTORY);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private HttpResponse<InputStream> watch(String pathAndQuery) throws Exception {
    // Returns once the status and headers arrived: by then the watch is registered.
    return f.client.send(HttpRequest.newBuilder(f.uri(pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private long watchers() {
    return f.backend.keySpace().stats().watchers();
  }

  @Test
  void oneShotSendsHeadersAtOnceThenTheEvent() throws Exception {
    f.form("PUT", "/v2/keys/a", "value=1");
    HttpResponse<InputStream> w = watch("/v2/keys/a?wait=true");
    assertEquals(200, w.statusCode());
    assertEquals("1", w.headers().firstValue("X-Etcd-Index").orElse(null));
    assertEquals("application/json", w.headers().firstValue("Content-Type").orElse(null));
    assertTrue(w.headers().firstValue("X-Raft-Index").isPresent());
    f.form("PUT", "/v2/keys/a", "value=2");
    String body = new String(w.body().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals("{\"action\":\"set\",\"node\":{\"key\":\"/a\",\"value\":\"2\",\"modifiedIndex\":2,"
        + "\"createdIndex\":2},\"prevNode\":{\"key\":\"/a\",\"value\":\"1\",\"modifiedIndex\":1,"
        + "\"createdIndex\":1}}\n", body);
    await("watcher removed", () -> watchers() == 0);
  }

  /** etcd 3.4.23: a 1.0 client's watch is answered in 1.0, unchunked, ended by the close. */
  @Test
  void anHttp10WatchIsAnsweredInHttp10WithoutChunks() throws Exception {
    f.form("PUT", "/v2/keys/a", "value=1");
    String r = ServerFixture.raw(f.port, "GET /v2/keys/a?wait=true&waitIndex=1 HTTP/1.0\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.0 200 OK\r\n"), r);
    String lower = r.toLowerCase(java.util.Locale.ROOT);
    assertFalse(lower.contains("transfer-encoding"), r);
    assertFalse(lower.contains("connection:"), "Go's 1.0 answer that closes says nothing: " + r);
    assertTrue(r.endsWith("\r\n\r\n{\"action\":\"set\",\"node\":{\"key\":\"/a\",\"value\":\"1\","
        + "\"modifiedIndex\":1,\"createdIndex\":1}}\n"), r);
    // and one that waits, asking to keep the connection: still ended by the close
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000); // a deadline for a loaded machine, not an expectation
      s.getOutputStream().write("GET /v2/keys/b?wait=true HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      await("watcher registered", () -> watchers() == 1);
      f.form("PUT", "/v2/keys/b", "value=2");
      String w = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(w.startsWith("HTTP/1.0 200 OK\r\n"), w);
      assertFalse(w.toLowerCase(java.util.Locale.ROOT).contains("chunked"), w);
      assertTrue(w.endsWith("\r\n\r\n{\"action\":\"set\",\"node\":{\"key\":\"/b\",\"value\":\"2\","
          + "\"modifiedIndex\":2,\"createdIndex\":2}}\n"), w);
    }
  }

  @Test
  void streamWritesOneLinePerEvent() throws Exception {
    HttpResponse<InputStream> w = watch("/v2/keys/d?wait=true&recursive=true&stream=true");
    BufferedReader lines = new BufferedReader(new InputStreamReader(w.body(), StandardCharsets.UTF_8));
    f.form("PUT", "/v2/keys/d/x", "value=1");
    f.form("PUT", "/v2/keys/d/y", "value=2");
    f.send("DELETE", "/v2/keys/d/x");
    assertTrue(lines.readLine().startsWith("{\"action\":\"set\",\"node\":{\"key\":\"/d/x\""));
    assertTrue(lines.readLine().startsWith("{\"action\":\"set\",\"node\":{\"key\":\"/d/y\""));
    assertTrue(lines.readLine().startsWith("{\"action\":\"delete\",\"node\":{\"key\":\"/d/x\""));
    assertEquals(1, watchers());
    w.body().close();
  }

  @Test
  void historyAnswersAtOnceWithTheCurrentIndex() throws Exception {
    f.form("PUT", "/v2/keys/a", "value=1");
    f.form("PUT", "/v2/keys/b", "value=2");
    HttpResponse<InputStream> w = watch("/v2/keys/a?wait=true&waitIndex=1");
    assertEquals("2", w.headers().firstValue("X-Etcd-Index").orElse(null));
    String body = new String(w.body().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(body.startsWith("{\"action\":\"set\",\"node\":{\"key\":\"/a\",\"value\":\"1\""), body);
  }

  /**
   * etcd turns a GET with quorum=true into a quorum read before it looks at wait: the answer is
   * the node now (or 404), whatever wait, waitIndex and stream say. Taken as a watch, it waited
   * for the next change instead.
   */
  @Test
  void quorumTrueMakesAWaitAQuorumRead() throws Exception {
    f.form("PUT", "/v2/keys/a", "value=1");
    f.form("PUT", "/v2/keys/a", "value=2");
    String now = "{\"action\":\"get\",\"node\":{\"key\":\"/a\",\"value\":\"2\","
        + "\"modifiedIndex\":2,\"createdIndex\":2}}\n";
    for (String query : new String[] {"wait=true&quorum=true", "wait=true&quorum=true&waitIndex=1",
        "wait=true&quorum=true&stream=true"}) {
      HttpResponse<String> r = withinSeconds("/v2/keys/a?" + query);
      assertEquals(200, r.statusCode(), query);
      assertEquals(now, r.body(), query);
      assertEquals("2", r.headers().firstValue("X-Etcd-Index").orElse(null), query);
    }
    HttpResponse<String> missing = withinSeconds("/v2/keys/b?wait=true&quorum=true");
    assertEquals(404, missing.statusCode());
    assertEquals(0, watchers());
  }

  /** A whole answer, or a failure after 10 s: a request taken for a watch would never end. */
  private HttpResponse<String> withinSeconds(String pathAndQuery) throws Exception {
    return f.client.sendAsync(HttpRequest.newBuilder(f.uri(pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString()).get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * waitIndex is unsigned, as in etcd: one of 2^63 or more lies ahead of every index, and the
   * watch waits. Read as a negative number it was older than the history: an immediate 401.
   */
  @Test
  void aWaitIndexPastTheSignedRangeWaits() throws Exception {
    f.form("PUT", "/v2/keys/a", "value=1");
    HttpResponse<InputStream> w = watch("/v2/keys/a?wait=true&waitIndex=18446744073709551615");
    assertEquals(200, w.statusCode());
    assertEquals("1", w.headers().firstValue("X-Etcd-Index").orElse(null));
    assertEquals(1, watchers());
    f.form("PUT", "/v2/keys/a", "value=2");
    assertEquals(1, watchers());
    w.body().close();
  }

  @Test
  void clearedHistoryIs401WithHttp400() throws Exception {
    for (int i = 0; i < HISTORY + 3; i++) {
      f.form("PUT", "/v2/keys/k", "value=" + i);
    }
    HttpResponse<String> r = f.get("/v2/keys/k?wait=true&waitIndex=1");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().startsWith("{\"errorCode\":401,\"message\":\"The event in requested index "
        + "is outdated and cleared\",\"cause\":\"the requested history has been cleared ["),
        r.body());
    assertTrue(r.body().endsWith("/1]\",\"index\":8}\n"), r.body());
    assertEquals("8", r.headers().firstValue("X-Etcd-Index").orElse(null));
  }

  @Test
  void aClientThatGoesAwayIsDroppedAtOnce() throws Exception {
    StringBuilder headers = new StringBuilder();
    Socket s = ServerFixture.openAndReadHeaders(f.port,
        "GET /v2/keys/gone?wait=true HTTP/1.1\r\nHost: h\r\n\r\n", headers);
    assertTrue(headers.toString().startsWith("HTTP/1.1 200 OK"), headers.toString());
    assertTrue(headers.toString().toLowerCase().contains("transfer-encoding: chunked"));
    assertEquals(1, watchers());
    s.close();
    await("watcher dropped on disconnect", () -> watchers() == 0);
    await("parked gauge back to 0",
        () -> f.registry.get("etcd.http.watchers.parked").gauge().value() == 0);
  }

  @Test
  void oneEventIsEncodedOnceForEveryWatcher() throws Exception {
    List<HttpResponse<InputStream>> ws = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ws.add(watch("/v2/keys/fan?wait=true"));
    }
    f.form("PUT", "/v2/keys/fan", "value=%3C%26%3E");
    Event event = f.backend.applied.get(0);
    byte[] shared = event.encoded(e -> {
      throw new AssertionError("the event should already be encoded");
    });
    for (HttpResponse<InputStream> w : ws) {
      assertArrayEquals(shared, w.body().readAllBytes());
    }
    assertTrue(new String(shared, StandardCharsets.UTF_8).contains("\\u003c\\u0026\\u003e"));
  }

  @Test
  void aWatcherThatDoesNotReadIsCut() throws Exception {
    StringBuilder headers = new StringBuilder();
    Socket s = ServerFixture.openAndReadHeaders(f.port,
        "GET /v2/keys/slow?wait=true&stream=true HTTP/1.1\r\nHost: h\r\n\r\n", headers);
    String big = "x".repeat(200_000);
    // The client never reads: pending output grows past the bound and the watcher is cut.
    for (int i = 0; i < 60 && watchers() > 0; i++) {
      assertEquals(i == 0 ? 201 : 200, f.form("PUT", "/v2/keys/slow", "value=" + big).statusCode());
    }
    await("slow watcher cut", () -> watchers() == 0);
    s.close();
  }

  /**
   * etcd 3.4.23 stopped by SIGTERM closes a parked watch's connection before its chunked body
   * ends. Clients read that as a failed request and go to another member (python-etcd with
   * allow_reconnect does only then: the empty 200 a final chunk made of it raised "Server response
   * was not valid JSON" instead); the Go client moves on either way.
   */
  @Test
  void shutdownCutsParkedWatchesBeforeTheirBodyEnds() throws Exception {
    StringBuilder h1 = new StringBuilder();
    StringBuilder h2 = new StringBuilder();
    try (Socket poll = ServerFixture.openAndReadHeaders(f.port,
            "GET /v2/keys/a?wait=true HTTP/1.1\r\nHost: h\r\n\r\n", h1);
        Socket stream = ServerFixture.openAndReadHeaders(f.port,
            "GET /v2/keys/b?wait=true&stream=true HTTP/1.1\r\nHost: h\r\n\r\n", h2)) {
      await("watchers registered", () -> watchers() == 2);
      f.form("PUT", "/v2/keys/b", "value=1");
      String event = "{\"action\":\"set\",\"node\":{\"key\":\"/b\",\"value\":\"1\","
          + "\"modifiedIndex\":1,\"createdIndex\":1}}\n";
      String chunk = Integer.toHexString(event.length()) + "\r\n" + event + "\r\n";
      byte[] first = stream.getInputStream().readNBytes(chunk.length());
      assertEquals(chunk, new String(first, StandardCharsets.UTF_8));
      f.server.close();
      assertTrue(h1.toString().startsWith("HTTP/1.1 200 OK\r\n"), h1.toString());
      assertTrue(h1.toString().toLowerCase(java.util.Locale.ROOT).contains("chunked"), h1.toString());
      assertEquals("", new String(poll.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          "no final chunk: the connection closes first");
      assertEquals("", new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
