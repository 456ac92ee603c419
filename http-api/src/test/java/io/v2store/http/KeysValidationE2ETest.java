package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.EtcdError;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys-API errors that need no store: validation, proposal failures, timeouts, size limits. */
class KeysValidationE2ETest {
  private ServerFixture f;

  @BeforeEach
  void start() {
    f = new ServerFixture(ServerFixture.config(java.util.List.of("*"), 4096, 300));
    // Every proposal is refused at once: the tests look at what was proposed.
    f.backend.proposeFailure = EtcdError.KEY_NOT_FOUND.with("/k", 7);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static void assertKeysError(HttpResponse<String> r, int status, String body,
      String etcdIndex) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(body, r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
    assertEquals(etcdIndex, r.headers().firstValue("X-Etcd-Index").orElse(null));
    assertEquals("48276a8f75b6a87", r.headers().firstValue("X-Etcd-Cluster-Id").orElse(null));
    assertFalse(r.headers().firstValue("X-Raft-Index").isPresent());
    assertFalse(r.headers().firstValue("X-Raft-Term").isPresent());
  }

  @Test
  void validationErrorsHaveIndexZero() throws Exception {
    assertKeysError(f.get("/v2/keys/a?recursive=maybe"), 400,
        "{\"errorCode\":209,\"message\":\"Invalid field\",\"cause\":\"invalid value for "
            + "\\\"recursive\\\"\",\"index\":0}\n", "0");
    String raw = ServerFixture.raw(f.port,
        "GET /v2/keys/a?x=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(raw.startsWith("HTTP/1.1 400 Bad Request\r\n"), raw);
    assertTrue(raw.toLowerCase().contains("x-etcd-index: 0\r\n"), raw);
    assertTrue(raw.endsWith("{\"errorCode\":210,\"message\":\"Invalid POST form\",\"cause\":"
        + "\"invalid URL escape \\\"%ZZ\\\"\",\"index\":0}\n"), raw);
    assertKeysError(f.form("PUT", "/v2/keys/a", "value=%ZZ"), 400,
        "{\"errorCode\":210,\"message\":\"Invalid POST form\",\"cause\":\"invalid URL escape "
            + "\\\"%ZZ\\\"\",\"index\":0}\n", "0");
    assertKeysError(f.send("PUT", "/v2/keys/a?wait=true"), 400,
        "{\"errorCode\":209,\"message\":\"Invalid field\",\"cause\":\"\\\"wait\\\" can only be "
            + "used with GET requests\",\"index\":0}\n", "0");
    assertKeysError(f.form("PUT", "/v2/keys/a", "ttl=1.5"), 400,
        "{\"errorCode\":202,\"message\":\"The given TTL in POST form is not a number\","
            + "\"cause\":\"invalid value for \\\"ttl\\\"\",\"index\":0}\n", "0");
    assertKeysError(f.send("DELETE", "/v2/keys/a?prevValue="), 400,
        "{\"errorCode\":201,\"message\":\"PrevValue is Required in POST form\","
            + "\"cause\":\"\\\"prevValue\\\" cannot be empty\",\"index\":0}\n", "0");
    assertKeysError(f.form("PUT", "/v2/keys/a", "refresh=true"), 400,
        "{\"errorCode\":212,\"message\":\"A TTL must be provided on refresh\","
            + "\"cause\":\"No TTL value set\",\"index\":0}\n", "0");
    assertTrue(f.backend.proposals.isEmpty());
  }

  @Test
  void headOfAnErrorHasLengthButNoBody() throws Exception {
    HttpResponse<String> get = f.get("/v2/keys/a?sorted=2");
    HttpResponse<String> r = f.send("HEAD", "/v2/keys/a?sorted=2");
    assertEquals(400, r.statusCode());
    assertEquals("", r.body());
    assertEquals(Integer.toString(get.body().length()),
        r.headers().firstValue("Content-Length").orElse(null));
    assertEquals("0", r.headers().firstValue("X-Etcd-Index").orElse(null));
  }

  @Test
  void storeErrorsReportTheirIndex() throws Exception {
    assertKeysError(f.form("PUT", "/v2/keys/k", "value=v"), 404,
        "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/k\",\"index\":7}\n", "7");
  }

  @Test
  void bodyWinsFirstOccurrenceWinsAndTtlBecomesExpiration() throws Exception {
    long before = System.currentTimeMillis() * 1_000_000L;
    f.form("PUT", "/v2/keys/a%2Fb/?value=q&ttl=100&prevExist=false", "value=b&value=c&ttl=5");
    long after = (System.currentTimeMillis() + 1) * 1_000_000L;
    V2Request req = f.backend.proposals.get(0);
    assertEquals(V2Request.Method.PUT, req.getMethod());
    assertEquals("/a/b", req.getPath());
    assertEquals("b", req.getValue());
    assertTrue(req.hasPrevExist() && !req.getPrevExist());
    assertFalse(req.hasPrevValue());
    // now + 5 s, now being when the server read the request: between before and after
    long ttlNanos = req.getExpiration() - before;
    assertTrue(ttlNanos >= 5_000_000_000L && req.getExpiration() <= after + 5_000_000_000L,
        "ttl " + ttlNanos + " ns after the request was sent, which took " + (after - before) + " ns");
  }

  @Test
  void bodyIsIgnoredUnlessItIsAFormOfAWrite() throws Exception {
    f.send(HttpRequest.newBuilder(f.uri("/v2/keys/a?value=q"))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("value=b&ttl=x")).build());
    assertEquals("q", f.backend.proposals.get(0).getValue());
    f.send(HttpRequest.newBuilder(f.uri("/v2/keys/a"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .method("DELETE", HttpRequest.BodyPublishers.ofString("prevValue=x")).build());
    V2Request delete = f.backend.proposals.get(1);
    assertEquals(V2Request.Method.DELETE, delete.getMethod());
    assertFalse(delete.hasPrevValue());
    f.send(HttpRequest.newBuilder(f.uri("/v2/keys/q"))
        .header("Content-Type", "Application/X-WWW-Form-Urlencoded; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString("value=v&dir=true&ttl=")).build());
    V2Request post = f.backend.proposals.get(2);
    assertEquals(V2Request.Method.POST, post.getMethod());
    assertEquals("v", post.getValue());
    assertTrue(post.getDir());
    assertFalse(post.hasExpiration());
  }

  private HttpResponse<String> withType(String method, String contentType) throws Exception {
    return f.send(HttpRequest.newBuilder(f.uri("/v2/keys/t?value=q"))
        .header("Content-Type", contentType)
        .method(method, HttpRequest.BodyPublishers.ofString("value=b")).build());
  }

  /**
   * Go's Request.ParseForm reads a POST, PUT or PATCH's Content-Type with mime.ParseMediaType,
   * and etcd refuses the request when that fails, whatever the type (etcd 3.4.23): 400, error
   * 210 with Go's words, and nothing proposed. What it accepts (a trailing ';', quoted or
   * extended parameters, spaces) it accepts here too.
   */
  @Test
  void aContentTypeGoCannotParseFailsAWrite() throws Exception {
    String[][] refused = {
        {"text/plain; charset", "mime: invalid media parameter"},
        {"application/x-www-form-urlencoded; charset", "mime: invalid media parameter"},
        {"application/x-www-form-urlencoded; charset=\"utf-8", "mime: invalid media parameter"},
        {"application/json; a=1; A=2", "mime: duplicate parameter name"},
        {"text/", "mime: expected token after slash"},
        {"foo bar", "mime: expected slash after first token"},
        {"application/x-www-form-urlencoded, text/plain",
            "mime: unexpected content after media subtype"},
        {"; charset=utf-8", "mime: no media type"},
    };
    for (String[] t : refused) {
      for (String method : new String[] {"PUT", "POST"}) {
        assertKeysError(withType(method, t[0]), 400, "{\"errorCode\":210,\"message\":"
            + "\"Invalid POST form\",\"cause\":\"" + t[1] + "\",\"index\":0}\n", "0");
      }
    }
    assertEquals(0, f.backend.proposals.size(), "nothing proposed");
    // only writes parse their form: a DELETE or GET with such a type goes on
    f.send(HttpRequest.newBuilder(f.uri("/v2/keys/t")).header("Content-Type", "text/")
        .method("DELETE", HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(V2Request.Method.DELETE, f.backend.proposals.get(0).getMethod());
    String[][] accepted = {
        {"application/x-www-form-urlencoded;", "b"},
        {"application/x-www-form-urlencoded ; charset = \"utf\\-8\" ;", "b"},
        {"application/x-www-form-urlencoded; charset*=utf-8''x; charset=y", "b"},
        {"multipart/form-data; boundary=\"a b\"", "q"},
        {"form", "q"},
        {"text/plain;charset=UTF-8", "q"},
    };
    for (int i = 0; i < accepted.length; i++) {
      withType("PUT", accepted[i][0]);
      assertEquals(i + 2, f.backend.proposals.size(), accepted[i][0]);
      assertEquals(accepted[i][1], f.backend.proposals.get(i + 1).getValue(), accepted[i][0]);
    }
  }

  @Test
  void aStalledWriteTimesOutWith300() throws Exception {
    f.backend.proposeFailure = null;
    f.backend.stalled = true;
    assertKeysError(f.form("PUT", "/v2/keys/a", "value=v"), 500,
        "{\"errorCode\":300,\"message\":\"Raft Internal Error\",\"cause\":\"etcdserver: "
            + "request timed out\",\"index\":0}\n", "0");
    assertKeysError(f.get("/v2/keys/a?quorum=true"), 500,
        "{\"errorCode\":300,\"message\":\"Raft Internal Error\",\"cause\":\"etcdserver: "
            + "request timed out\",\"index\":0}\n", "0");
  }

  @Test
  void anUnexpectedFailureIs300WithoutAStackTrace() throws Exception {
    f.backend.proposeFailure = new IllegalStateException("boom");
    assertKeysError(f.form("PUT", "/v2/keys/a", "value=v"), 500,
        "{\"errorCode\":300,\"message\":\"Raft Internal Error\",\"cause\":\"boom\",\"index\":0}\n",
        "0");
  }

  @Test
  void oversizedRequestsGetAJson413() throws Exception {
    String big = "value=" + "a".repeat(5000);
    HttpResponse<String> r = f.form("PUT", "/v2/keys/big", big);
    assertEquals(413, r.statusCode());
    assertEquals("{\"errorCode\":210,\"message\":\"Invalid POST form\",\"cause\":\"request body "
        + "exceeds 4096 bytes\",\"index\":0}\n", r.body());
    // A client that waits for 100-continue is told 413 before it sends the body.
    String expect = ServerFixture.raw(f.port, "PUT /v2/keys/big HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n"
        + "Content-Length: " + big.length() + "\r\n\r\n");
    assertTrue(expect.startsWith("HTTP/1.1 413 Request Entity Too Large\r\n"), expect);
    assertTrue(expect.contains("\"errorCode\":210"), expect);
    assertTrue(f.backend.proposals.isEmpty());
    assertEquals(200, f.get("/version").statusCode());
  }
}
