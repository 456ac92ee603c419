package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MembersE2ETest {
  private static final String SELF = "{\"id\":\"2e1259d415f2a040\",\"name\":\"default\","
      + "\"peerURLs\":[\"http://127.0.0.1:2380\"],"
      + "\"clientURLs\":[\"http://127.0.0.1:2379\",\"http://127.0.0.1:12379\"]}";
  private ServerFixture f;

  @BeforeEach
  void start() {
    f = new ServerFixture(ServerFixture.config(java.util.List.of("*"), 1 << 20, 300));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private HttpResponse<String> json(String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(path))
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return f.send(b.build());
  }

  private static void assertMessage(HttpResponse<String> r, int status, String message) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("{\"message\":\"" + message + "\"}", r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
    assertEquals("48276a8f75b6a87", r.headers().firstValue("X-Etcd-Cluster-Id").orElse(null));
  }

  @Test
  void listAndLeader() throws Exception {
    HttpResponse<String> list = f.get("/v2/members");
    assertEquals(200, list.statusCode());
    assertEquals("{\"members\":[" + SELF + "]}\n", list.body());
    assertEquals("48276a8f75b6a87", list.headers().firstValue("X-Etcd-Cluster-Id").get());
    assertEquals(list.body(), f.get("/v2/members/").body());
    assertEquals(SELF + "\n", f.get("/v2/members/leader").body());
    assertMessage(f.get("/v2/members/other"), 404, "Not found");
    f.backend.leaderId = 0;
    assertMessage(f.get("/v2/members/leader"), 503, "During election");
  }

  @Test
  void addChecksContentTypeJsonAndUrls() throws Exception {
    HttpResponse<String> ok = json("POST", "/v2/members", "application/json; charset=utf-8",
        "{\"peerURLs\":[\"http://10.0.0.2:2380\",\"http://10.0.0.1:2380\"]}");
    assertEquals(201, ok.statusCode());
    assertEquals("{\"id\":\"abc\",\"name\":\"\",\"peerURLs\":[\"http://10.0.0.1:2380\","
        + "\"http://10.0.0.2:2380\"],\"clientURLs\":[]}\n", ok.body());
    assertMessage(json("POST", "/v2/members", "text/plain", "{}"), 415,
        "Bad Content-Type text/plain, accept application/json");
    assertMessage(json("POST", "/v2/members", null, "{}"), 415,
        "Bad Content-Type , accept application/json");
    assertMessage(json("POST", "/v2/members", "application/json", "xx"), 400,
        "invalid character 'x' looking for beginning of value");
    assertMessage(json("POST", "/v2/members", "application/json", ""), 400,
        "unexpected end of JSON input");
    assertMessage(json("POST", "/v2/members", "application/json", "{}"), 400,
        "no valid URLs given");
    assertMessage(json("POST", "/v2/members", "application/json", "{\"peerURLs\":\"a\"}"), 400,
        "json: cannot unmarshal string into Go struct field .peerURLs of type []string");
    assertMessage(json("POST", "/v2/members", "application/json", "{\"peerURLs\":[\"a\"]}"), 400,
        "URL scheme must be http, https, unix, or unixs: a");
    assertMessage(json("POST", "/v2/members", "application/json",
        "{\"peerURLs\":[\"http://h\"]}"), 400,
        "URL address does not have the form \\\"host:port\\\": http://h");
    assertMessage(json("POST", "/v2/members", "application/json",
        "{\"peerURLs\":[\"http://h:1/p\"]}"), 400, "URL must not contain a path: http://h:1/p");
    assertMessage(json("POST", "/v2/members", "application/json", "{\"peerURLs\":[1]}"), 400,
        "json: cannot unmarshal number into Go struct field .peerURLs of type string");
    // Go's syntax errors, for the whole body, before any type is looked at
    assertMessage(json("POST", "/v2/members", "application/json", "{peerURLs:[]}"), 400,
        "invalid character 'p' looking for beginning of object key string");
    assertMessage(json("POST", "/v2/members", "application/json", "{\"peerURLs\":[1 2]}"), 400,
        "invalid character '2' after array element");
    // nested deeper than Jackson's own bound, but not Go's: decoded, and refused for its type
    assertMessage(json("POST", "/v2/members", "application/json",
        "{\"peerURLs\":" + "[".repeat(1_200) + "]".repeat(1_200) + "}"), 400,
        "json: cannot unmarshal array into Go struct field .peerURLs of type string");
  }

  /**
   * etcd reads the body with json.Unmarshal: anything but white space after the object refuses
   * the request, in Go's words. Taking the object and ignoring the rest added a member from a
   * body etcd refuses.
   */
  @Test
  void aBodyWithMoreThanOneJsonValueIsRefused() throws Exception {
    String valid = "{\"peerURLs\":[\"http://10.0.0.1:2380\"]}";
    for (String method : new String[] {"POST", "PUT"}) {
      String path = method.equals("POST") ? "/v2/members" : "/v2/members/abc";
      assertMessage(json(method, path, "application/json", valid + " x"), 400,
          "invalid character 'x' after top-level value");
      assertMessage(json(method, path, "application/json", valid + "{}"), 400,
          "invalid character '{' after top-level value");
      assertMessage(json(method, path, "application/json", valid + "\n\"\""), 400,
          "invalid character '\\\"' after top-level value");
      assertMessage(json(method, path, "application/json", valid + "'"), 400,
          "invalid character '\\\\'' after top-level value");
      assertMessage(json(method, path, "application/json", valid + "\u0000"), 400,
          "invalid character '\\\\x00' after top-level value");
      assertMessage(json(method, path, "application/json", valid + "\u00e9"), 400,
          "invalid character '\u00c3' after top-level value");
      assertMessage(json(method, path, "application/json", "{\"peerURLs\":[1]} x"), 400,
          "invalid character 'x' after top-level value");
    }
    assertEquals(201, json("POST", "/v2/members", "application/json", valid + " \r\n\t")
        .statusCode());
  }

  /** A body cut short is, whatever was cut, Go's one error. */
  @Test
  void aTruncatedBodyIsRefusedInGoWords() throws Exception {
    for (String body : new String[] {"{", "{\"peerURLs\":", "{\"peerURLs\":[\"http://h:1\"]",
        "[1,2", "\"abc"}) {
      assertMessage(json("POST", "/v2/members", "application/json", body), 400,
          "unexpected end of JSON input");
    }
  }

  /**
   * URLs etcd takes but no member of ours could dial. Committed, one of them stopped the apply
   * loop of every member that read it (the transport threw), again at each restart.
   */
  @Test
  void urlsThePeerTransportCannotDialAreRefused() throws Exception {
    for (String method : new String[] {"POST", "PUT"}) {
      String path = method.equals("POST") ? "/v2/members" : "/v2/members/abc";
      assertMessage(json(method, path, "application/json", "{\"peerURLs\":[\"unix://x:1\"]}"),
          400, "unix socket peer URLs are not supported, use http or https: unix://x:1");
      assertMessage(json(method, path, "application/json", "{\"peerURLs\":[\"http://h:\"]}"),
          400, "URL address does not have the form \\\"host:port\\\": http://h:");
      assertMessage(json(method, path, "application/json",
          "{\"peerURLs\":[\"http://h:99999\"]}"), 400,
          "URL address does not have the form \\\"host:port\\\": http://h:99999");
      // etcd stores this one as http://%C3%BC:1, a host no resolver looks up
      assertMessage(json(method, path, "application/json",
          "{\"peerURLs\":[\"http://\\u00fc:1\"]}"), 400,
          "URL address does not have the form \\\"host:port\\\": http://\u00fc:1");
    }
  }

  @Test
  void addRefusalsAndFailures() throws Exception {
    String body = "{\"peerURLs\":[\"http://127.0.0.1:2380\"]}";
    f.backend.addResult = CompletableFuture.failedFuture(
        new MembershipException(409, "membership: peerURL exists"));
    assertMessage(json("POST", "/v2/members", "application/json", body), 409,
        "membership: peerURL exists");
    f.backend.addResult = new CompletableFuture<>();
    assertMessage(json("POST", "/v2/members", "application/json", body), 500,
        "Internal Server Error");
  }

  @Test
  void updateAndRemove() throws Exception {
    String body = "{\"peerURLs\":[\"http://127.0.0.1:2381\"]}";
    HttpResponse<String> updated = json("PUT", "/v2/members/2e1259d415f2a040",
        "application/json", body);
    assertEquals(204, updated.statusCode());
    assertEquals("", updated.body());
    assertMessage(json("PUT", "/v2/members/1", "application/json", body), 404,
        "No such member: 1");
    assertMessage(json("PUT", "/v2/members/zz", "application/json", body), 404,
        "No such member: zz");
    assertEquals(204, f.send("DELETE", "/v2/members/2e1259d415f2a040").statusCode());
    assertMessage(f.send("DELETE", "/v2/members/zz"), 404, "No such member: zz");
    f.backend.removeResult = CompletableFuture.failedFuture(
        new MembershipException(410, "Member permanently removed: 5"));
    assertMessage(f.send("DELETE", "/v2/members/5"), 410, "Member permanently removed: 5");
    for (String method : new String[] {"DELETE", "PUT"}) {
      HttpResponse<String> r = f.send(method, "/v2/members");
      assertEquals(405, r.statusCode());
      assertEquals("Method Not Allowed\n", r.body());
      assertFalse(r.headers().firstValue("Allow").isPresent());
    }
  }
}
