package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoutingE2ETest {
  private static ServerFixture f;

  @BeforeAll
  static void start() {
    f = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static void assertCors(HttpResponse<?> r) {
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertEquals("POST, GET, OPTIONS, PUT, DELETE",
        r.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
    assertEquals("accept, content-type, authorization",
        r.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
  }

  @Test
  void unknownPathsAre404Text() throws Exception {
    for (String path : List.of("/", "/v2", "/v2/foo", "/v2/stats/", "/v2/keysx", "/v3/kv")) {
      HttpResponse<String> r = f.get(path);
      assertEquals(404, r.statusCode(), path);
      assertEquals("404 page not found\n", r.body(), path);
      assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").get());
      assertCors(r);
    }
  }

  @Test
  void methodNotAllowedListsAllowedMethods() throws Exception {
    String[][] cases = {
        {"PATCH", "/v2/keys/a", "HEAD,GET,PUT,POST,DELETE"},
        {"PATCH", "/v2/members", "GET,POST,DELETE,PUT"},
        {"PUT", "/v2/machines", "GET,HEAD"},
        {"POST", "/v2/stats/self", "GET"},
        {"DELETE", "/v2/stats/store", "GET"},
        {"PUT", "/version", "GET"},
        {"POST", "/health", "GET"}};
    for (String[] c : cases) {
      HttpResponse<String> r = f.send(c[0], c[1]);
      assertEquals(405, r.statusCode(), c[1]);
      assertEquals("Method Not Allowed\n", r.body());
      assertEquals(c[2], r.headers().firstValue("Allow").orElse(null), c[1]);
      assertFalse(r.headers().firstValue("X-Etcd-Cluster-Id").isPresent(), c[1]);
      assertCors(r);
    }
  }

  @Test
  void optionsAnywhereIsAnEmpty200() throws Exception {
    for (String path : List.of("/nothing", "/v2/keys/a", "/v2/members")) {
      HttpResponse<String> r = f.send("OPTIONS", path);
      assertEquals(200, r.statusCode());
      assertEquals("", r.body());
      assertEquals("0", r.headers().firstValue("Content-Length").orElse(null));
      assertCors(r);
    }
    // Not redirected either: the answer comes before the path is cleaned.
    String unclean = ServerFixture.raw(f.port,
        "OPTIONS /v2/keys/a/../b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(unclean.startsWith("HTTP/1.1 200 OK\r\n"), unclean);
  }

  /** As etcd (Go's server parses the request line first): a bad escape is a 400 for OPTIONS too. */
  @Test
  void optionsWithABadEscapeInThePathIsA400() throws Exception {
    String r = ServerFixture.raw(f.port,
        "OPTIONS /v2/keys/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), r);
    assertTrue(r.endsWith("400 Bad Request"), r);
    assertFalse(r.contains("Access-Control"), "Go's server answers it before the CORS handler: " + r);
  }

  @Test
  void nonCanonicalPathsRedirect() throws Exception {
    String r = ServerFixture.raw(f.port,
        "GET /v2/keys/a//b?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 301 Moved Permanently\r\n"), r);
    assertTrue(r.contains("location: /v2/keys/a/b?x=1\r\n") || r.contains("Location: /v2/keys/a/b?x=1\r\n"), r);
    assertTrue(r.endsWith("<a href=\"/v2/keys/a/b?x=1\">Moved Permanently</a>.\n\n"), r);

    r = ServerFixture.raw(f.port, "GET /v2/keys/a/../b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(r.toLowerCase().contains("location: /v2/keys/b\r\n"), r);
    r = ServerFixture.raw(f.port, "GET /v2/keys/./a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(r.toLowerCase().contains("location: /v2/keys/a\r\n"), r);
    // %2F is a separator: "/v2/keys/%2F" is "/v2/keys//", which cleans to "/v2/keys/".
    r = ServerFixture.raw(f.port, "GET /v2/keys/%2F HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 301"), r);
    assertTrue(r.toLowerCase().contains("location: /v2/keys/\r\n"), r);
    r = ServerFixture.raw(f.port, "GET /v2/keys/a// HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(r.toLowerCase().contains("location: /v2/keys/a/\r\n"), r);
    // A write is redirected too, without a body.
    r = ServerFixture.raw(f.port,
        "PUT /v2//keys/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 301"), r);
    assertTrue(r.toLowerCase().contains("content-length: 0\r\n"), r);
  }

  @Test
  void aRedirectRepeatsTheQuerysBytesAsGoDoes() throws Exception {
    // raw() sends each char as one byte: \u00c3\u00bc is "\u00fc" in UTF-8, \u00ff an invalid byte
    String r = ServerFixture.raw(f.port, "GET /v2/keys//a?v=\u00c3\u00bc&w=%C3%BC&z=\u00ff HTTP/1.1\r\n"
        + "Host: x\r\nConnection: close\r\n\r\n");
    assertTrue(r.toLowerCase().contains("location: /v2/keys/a?v=%c3%bc&w=%C3%BC&z=%ff\r\n".toLowerCase())
        && r.contains("/v2/keys/a?v=%c3%bc&w=%C3%BC&z=%ff\r\n"), r);
    assertTrue(r.endsWith("<a href=\"/v2/keys/a?v=\u00c3\u00bc&amp;w=%C3%BC&amp;z=\u00ff\">Moved Permanently</a>.\n\n"), r);
  }

  @Test
  void everyHandlersResponseCarriesGosDateHeader() throws Exception {
    for (String path : List.of("/v2/keys/", "/v2/keys/nothing", "/version", "/health", "/nowhere",
        "/v2/keys//a", "/v2/members")) {
      HttpResponse<String> r = f.get(path);
      String date = r.headers().firstValue("Date").orElse(null);
      assertTrue(date != null && date.matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"),
          path + ": " + date);
      long at = java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
          .toEpochSecond();
      assertTrue(Math.abs(at - System.currentTimeMillis() / 1000) <= 5, path + ": " + date);
    }
  }

  @Test
  void malformedRequestsGet400AndAClosedConnection() throws Exception {
    String r = ServerFixture.raw(f.port, "GET /v2/keys/a%ZZ HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), r);
    assertFalse(r.contains("Date:"), "Go's server answers these itself, without a date: " + r);
    assertTrue(r.endsWith("400 Bad Request"), r);
    r = ServerFixture.raw(f.port, "GARBAGE\r\n\r\n");
    assertTrue(r.isEmpty() || r.startsWith("HTTP/1.1 400"), r);
    r = ServerFixture.raw(f.port, "\u0001\u0002\u0003 nonsense\r\nfoo\r\n\r\n");
    assertTrue(r.isEmpty() || r.startsWith("HTTP/1.1 400"), r);
    // The server still works afterwards.
    assertEquals(200, f.get("/version").statusCode());
  }

  @Test
  void headersUpToGosMegabyteAreReadAndLargerOnesGetGos431() throws Exception {
    // etcd 3.4.23: 70 KB of one header is an ordinary request; 1.1 MB gets Go's own 431
    String big = "a".repeat(70_000);
    String r = ServerFixture.raw(f.port,
        "GET /version HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r.substring(0, Math.min(200, r.length())));
    String huge = "a".repeat(1_100_000);
    r = ServerFixture.raw(f.port,
        "GET /version HTTP/1.1\r\nHost: x\r\nX-Big: " + huge + "\r\n\r\n");
    assertEquals("HTTP/1.1 431 Request Header Fields Too Large\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
        + "431 Request Header Fields Too Large", r.replace("content-type", "Content-Type")
        .replace("connection", "Connection"));
    assertEquals(200, f.get("/version").statusCode());
  }

  @Test
  void anAsteriskIsGosOwnOptionsAnswerAndAnEmpty400ForAnyOtherMethod() throws Exception {
    // etcd 3.4.23, byte for byte but for the order and case of the headers and the date
    String r = ServerFixture.raw(f.port, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
    assertTrue(r.contains("Content-Length: 0\r\n"), r);
    assertTrue(r.contains("Date: "), r);
    assertFalse(r.contains("Access-Control-"), "Go's server answers it, not etcd's handlers: " + r);
    assertTrue(r.endsWith("\r\n\r\n"), r);
    r = ServerFixture.raw(f.port, "GET * HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), r);
    assertTrue(r.contains("Content-Length: 0\r\n"), r);
    assertTrue(r.contains("Access-Control-Allow-Origin: *\r\n"), r);
    assertTrue(r.toLowerCase(java.util.Locale.ROOT).contains("connection: close\r\n"), r);
    assertTrue(r.endsWith("\r\n\r\n"), "an empty body, then the close: " + r);
  }

  @Test
  void aHundredContinueIsBareAsGosIs() throws Exception {
    String r = ServerFixture.raw(f.port, "PUT /v2/keys/continued HTTP/1.1\r\nHost: x\r\n"
        + "Expect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Content-Length: 7\r\nConnection: close\r\n\r\nvalue=e");
    assertTrue(r.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"), r);
    assertTrue(r.contains("Access-Control-Allow-Origin: *"), "the answer itself has them: " + r);
  }

  @Test
  void http11RequestsWithoutAHostGetGosOwn400() throws Exception {
    String r = ServerFixture.raw(f.port, "GET /version HTTP/1.1\r\n\r\n");
    assertEquals("HTTP/1.1 400 Bad Request: missing required Host header\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
        + "400 Bad Request: missing required Host header", r.replace("content-type", "Content-Type")
        .replace("connection", "Connection"));
    // an empty Host is a Host; and HTTP/1.0 needs none
    assertTrue(ServerFixture.raw(f.port, "GET /version HTTP/1.1\r\nHost:\r\nConnection: close"
        + "\r\n\r\n").startsWith("HTTP/1.1 200 OK\r\n"));
    assertTrue(ServerFixture.raw(f.port, "GET /version HTTP/1.0\r\n\r\n")
        .startsWith("HTTP/1.0 200 OK\r\n"));
    // two Hosts, even the same one twice: Go's plain 400
    for (String second : new String[] {"y", "x"}) {
      assertEquals("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
          + "Connection: close\r\n\r\n400 Bad Request", ServerFixture.raw(f.port,
              "GET /version HTTP/1.1\r\nHost: x\r\nHost: " + second + "\r\n\r\n")
          .replace("content-type", "Content-Type").replace("connection", "Connection"));
    }
  }

  @Test
  void http10RequestsAreAnsweredInHttp10AndKeptOpenOnlyWhenAsked() throws Exception {
    // as Go's server: 1.0 in the status line, no Connection header when it then closes
    String r = ServerFixture.raw(f.port, "GET /version HTTP/1.0\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.0 200 OK\r\n"), r);
    assertFalse(r.toLowerCase(java.util.Locale.ROOT).contains("connection:"), r);
    // asked to keep it: "keep-alive", and the next request on it is answered too
    r = ServerFixture.raw(f.port, "GET /version HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
        + "GET /v2/keys/nothing-here HTTP/1.0\r\n\r\n");
    String lower = r.toLowerCase(java.util.Locale.ROOT);
    assertTrue(r.startsWith("HTTP/1.0 200 OK\r\n"), r);
    assertTrue(lower.contains("connection: keep-alive\r\n"), r);
    assertTrue(r.contains("HTTP/1.0 404 Not Found\r\n"), r);
    assertEquals(lower.indexOf("connection:"), lower.lastIndexOf("connection:"), r);
  }

  @Test
  void metricsListenerServesOnlyMetricsAndHealth() throws Exception {
    String base = "http://127.0.0.1:" + f.metricsPort;
    var client = f.client;
    var ok = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode());
    var metrics = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode());
    var keys = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(base + "/v2/keys/a")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, keys.statusCode());
    var version = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(base + "/version")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, version.statusCode());
  }

  /**
   * etcd serves --listen-metrics-urls with a plain mux, without the client port's CORS wrapper:
   * no Access-Control headers (a page of another origin cannot read the metrics or the health
   * from a browser), and OPTIONS reaches the handlers (405 from /health, 404 elsewhere).
   */
  @Test
  void metricsListenerHasNoCorsAndLetsItsHandlersAnswerOptions() throws Exception {
    String base = "http://127.0.0.1:" + f.metricsPort;
    for (String path : List.of("/metrics", "/health", "/version")) {
      HttpResponse<String> r = f.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(base + path)).header("Origin", "http://evil.example").build());
      assertTrue(r.headers().map().keySet().stream()
          .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-")),
          path + ": " + r.headers().map());
    }
    HttpResponse<String> health = f.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(base + "/health"))
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(405, health.statusCode());
    assertEquals("GET", health.headers().firstValue("Allow").orElse(null));
    assertEquals("Method Not Allowed\n", health.body());
    HttpResponse<String> other = f.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(base + "/v2/keys/a"))
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(404, other.statusCode());
    // the client port keeps etcd's CORS answer to OPTIONS
    HttpResponse<String> client = f.send("OPTIONS", "/health");
    assertEquals(200, client.statusCode());
    assertEquals("*", client.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
  }

  /**
   * Go's server takes a bare LF as a line's end, as etcd answers a hand-written request (echo
   * -e "GET /health HTTP/1.0\n\n" | nc ..., a health check's script) in 3.4.23.
   */
  @Test
  void linesEndedByABareLineFeedAreRead() throws Exception {
    String health = ServerFixture.raw(f.port, "GET /health HTTP/1.0\n\n");
    assertTrue(health.startsWith("HTTP/1.0 200 OK\r\n"), health);
    assertTrue(health.endsWith("{\"health\":\"true\"}"), health);
    String put = ServerFixture.raw(f.port, "PUT /v2/keys/lf HTTP/1.1\nHost: x\r\n"
        + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 7\n"
        + "Connection: close\n\nvalue=l");
    assertTrue(put.startsWith("HTTP/1.1 201 Created\r\n"), put);
    assertTrue(put.contains("\r\n\r\n{\"action\":\"set\",\"node\":{\"key\":\"/lf\","
        + "\"value\":\"l\","), put);
  }

  @Test
  void corsWithAnOriginListEchoesOnlyListedOrigins() throws Exception {
    try (ServerFixture listed = new ServerFixture(
        ServerFixture.config(List.of("http://good.example"), 1 << 20, 7_000))) {
      HttpResponse<String> good = listed.send(java.net.http.HttpRequest.newBuilder(
          listed.uri("/version")).header("Origin", "http://good.example").build());
      assertEquals("http://good.example",
          good.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      HttpResponse<String> bad = listed.send(java.net.http.HttpRequest.newBuilder(
          listed.uri("/version")).header("Origin", "http://evil.example").build());
      assertFalse(bad.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }
  }
}
