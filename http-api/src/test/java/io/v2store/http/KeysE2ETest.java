package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keys API over a real KeySpace: bodies, statuses and headers of reads and writes. */
class KeysE2ETest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T03:43:02.1562995Z"), ZoneOffset.UTC);
  private ServerFixture f;

  @BeforeEach
  void start() {
    f = new ServerFixture(ServerFixture.config(CLOCK, List.of("*"), 1 << 20, 7_000));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static void assertSuccessHeaders(HttpResponse<String> r, String etcdIndex) {
    assertEquals("application/json", header(r, "Content-Type"));
    assertEquals("48276a8f75b6a87", header(r, "X-Etcd-Cluster-Id"));
    assertEquals(etcdIndex, header(r, "X-Etcd-Index"));
    assertTrue(r.headers().firstValue("X-Raft-Index").isPresent());
    assertEquals("2", header(r, "X-Raft-Term"));
  }

  /**
   * As deep as a key may be (about what etcd holds): written, then listed at once by a fresh
   * server whose code is still interpreted, when a frame per level ran out near 2,000 levels.
   */
  @Test
  void theDeepestKeyIsWrittenAndListedAndADeeperOneRefused() throws Exception {
    String deepest = "/d".repeat(KeysRequestParser.MAX_KEY_LEVELS);
    HttpResponse<String> put = f.form("PUT", "/v2/keys" + deepest, "value=bottom");
    assertEquals(201, put.statusCode(), put.body());
    HttpResponse<String> listing = f.get("/v2/keys/d?recursive=true");
    assertEquals(200, listing.statusCode());
    assertTrue(listing.body().contains("{\"key\":\"" + deepest + "\",\"value\":\"bottom\""),
        listing.body().substring(0, 200));
    HttpResponse<String> deeper = f.form("PUT", "/v2/keys" + deepest + "/e", "value=x");
    assertEquals(400, deeper.statusCode());
    assertEquals("{\"errorCode\":209,\"message\":\"Invalid field\",\"cause\":\"a key may have at "
        + "most 2048 levels, this one would have 2049\",\"index\":0}\n", deeper.body());
  }

  @Test
  void setCreatesThenReplaces() throws Exception {
    HttpResponse<String> created = f.form("PUT", "/v2/keys/a", "value=v");
    assertEquals(201, created.statusCode());
    assertEquals("{\"action\":\"set\",\"node\":{\"key\":\"/a\",\"value\":\"v\","
        + "\"modifiedIndex\":1,\"createdIndex\":1}}\n", created.body());
    assertSuccessHeaders(created, "1");
    assertEquals(Integer.toString(created.body().length()), header(created, "Content-Length"));

    HttpResponse<String> replaced = f.form("PUT", "/v2/keys/a", "value=w");
    assertEquals(200, replaced.statusCode());
    assertEquals("{\"action\":\"set\",\"node\":{\"key\":\"/a\",\"value\":\"w\","
        + "\"modifiedIndex\":2,\"createdIndex\":2},\"prevNode\":{\"key\":\"/a\",\"value\":\"v\","
        + "\"modifiedIndex\":1,\"createdIndex\":1}}\n", replaced.body());
    assertSuccessHeaders(replaced, "2");
  }

  @Test
  void getAndHead() throws Exception {
    f.form("PUT", "/v2/keys/a", "value=v");
    f.form("PUT", "/v2/keys/b", "value=x");
    HttpResponse<String> get = f.get("/v2/keys/a");
    assertEquals(200, get.statusCode());
    assertEquals("{\"action\":\"get\",\"node\":{\"key\":\"/a\",\"value\":\"v\","
        + "\"modifiedIndex\":1,\"createdIndex\":1}}\n", get.body());
    assertSuccessHeaders(get, "2");
    assertEquals(get.body(), f.get("/v2/keys/a/").body());
    assertEquals(get.body(), f.get("/v2/keys/a?quorum=true").body());

    HttpResponse<String> head = f.send("HEAD", "/v2/keys/a");
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertEquals(Integer.toString(get.body().length()), header(head, "Content-Length"));
    assertSuccessHeaders(head, "2");
  }

  @Test
  void missingKeyIsAStoreErrorWithTheCurrentIndex() throws Exception {
    f.form("PUT", "/v2/keys/a", "value=v");
    HttpResponse<String> r = f.get("/v2/keys/a/b/c");
    assertEquals(400, r.statusCode());
    assertEquals("{\"errorCode\":104,\"message\":\"Not a directory\",\"cause\":\"/a\","
        + "\"index\":1}\n", r.body());
    HttpResponse<String> missing = f.get("/v2/keys/nope/x");
    assertEquals(404, missing.statusCode());
    assertEquals("{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/nope\","
        + "\"index\":1}\n", missing.body());
    assertEquals("1", header(missing, "X-Etcd-Index"));
    assertFalse(missing.headers().firstValue("X-Raft-Index").isPresent());
  }

  @Test
  void rootListing() throws Exception {
    assertEquals("{\"action\":\"get\",\"node\":{\"dir\":true}}\n", f.get("/v2/keys").body());
    f.form("PUT", "/v2/keys/a", "value=v");
    String expected = "{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":[{\"key\":\"/a\","
        + "\"value\":\"v\",\"modifiedIndex\":1,\"createdIndex\":1}]}}\n";
    assertEquals(expected, f.get("/v2/keys").body());
    assertEquals(expected, f.get("/v2/keys/").body());
    HttpResponse<String> root = f.form("PUT", "/v2/keys/", "value=v");
    assertEquals(400, root.statusCode());
    assertTrue(root.body().startsWith("{\"errorCode\":107,"), root.body());
  }

  @Test
  void ttlIsReportedFromTheConfiguredClock() throws Exception {
    HttpResponse<String> r = f.form("PUT", "/v2/keys/t", "value=v&ttl=100");
    assertEquals("{\"action\":\"set\",\"node\":{\"key\":\"/t\",\"value\":\"v\","
        + "\"expiration\":\"2026-11-25T03:44:42.1562995Z\",\"ttl\":100,"
        + "\"modifiedIndex\":1,\"createdIndex\":1}}\n", r.body());
    HttpResponse<String> zero = f.form("PUT", "/v2/keys/z", "value=v&ttl=0");
    assertEquals("{\"action\":\"set\",\"node\":{\"key\":\"/z\",\"value\":\"v\","
        + "\"expiration\":\"2026-11-25T03:43:02.1562995Z\","
        + "\"modifiedIndex\":2,\"createdIndex\":2}}\n", zero.body());
  }

  @Test
  void noValueOnSuccessAndActionsAndStatuses() throws Exception {
    HttpResponse<String> create = f.form("PUT", "/v2/keys/a?prevExist=false&noValueOnSuccess=true",
        "value=v");
    assertEquals(201, create.statusCode());
    assertEquals("{\"action\":\"create\"}\n", create.body());
    HttpResponse<String> cas = f.form("PUT", "/v2/keys/a?prevValue=v", "value=w");
    assertEquals(200, cas.statusCode());
    assertTrue(cas.body().startsWith("{\"action\":\"compareAndSwap\""), cas.body());
    HttpResponse<String> failed = f.form("PUT", "/v2/keys/a?prevValue=zz&prevIndex=1", "value=w");
    assertEquals(412, failed.statusCode());
    assertEquals("{\"errorCode\":101,\"message\":\"Compare failed\",\"cause\":\"[zz != w] "
        + "[1 != 2]\",\"index\":2}\n", failed.body());
    HttpResponse<String> post = f.form("POST", "/v2/keys/q", "value=1");
    assertEquals(201, post.statusCode());
    assertTrue(post.body().contains("\"key\":\"/q/00000000000000000003\""), post.body());
    HttpResponse<String> delete = f.send("DELETE", "/v2/keys/a");
    assertEquals(200, delete.statusCode());
    assertEquals("{\"action\":\"delete\",\"node\":{\"key\":\"/a\",\"modifiedIndex\":4,"
        + "\"createdIndex\":1},\"prevNode\":{\"key\":\"/a\",\"value\":\"w\",\"modifiedIndex\":2,"
        + "\"createdIndex\":1}}\n", delete.body());
  }

  @Test
  void escapedSlashesTrailingSlashesAndNonUtf8Keys() throws Exception {
    assertEquals(201, f.form("PUT", "/v2/keys/x%2Fy/", "value=1").statusCode());
    assertTrue(f.get("/v2/keys/x/y").body().contains("\"key\":\"/x/y\""));
    String raw = ServerFixture.raw(f.port, "PUT /v2/keys/%FF?value=x HTTP/1.1\r\nHost: h\r\n"
        + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    assertTrue(raw.startsWith("HTTP/1.1 201"), raw);
    assertTrue(raw.endsWith("{\"action\":\"set\",\"node\":{\"key\":\"/\\ufffd\",\"value\":\"x\","
        + "\"modifiedIndex\":2,\"createdIndex\":2}}\n"), raw);
    assertTrue(f.get("/v2/keys/%3Ca%3E").body().contains("\"cause\":\"/\\u003ca\\u003e\""));
  }

  @Test
  void storeStatsCountOperations() throws Exception {
    f.form("PUT", "/v2/keys/a", "value=v");
    f.get("/v2/keys/a");
    HttpResponse<String> r = f.get("/v2/stats/store");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().startsWith("{\"getsSuccess\":1,\"getsFail\":0,\"setsSuccess\":1,"),
        r.body());
    assertTrue(r.body().endsWith("\"expireCount\":0,\"watchers\":0}"), r.body());
  }

  /**
   * prevIndex is an unsigned 64-bit number, as in etcd: one of 2^63 or more asks for a compare
   * no node passes. Read as a negative number it counted as "not given", and the write or delete
   * went ahead unconditionally.
   */
  @Test
  void aPrevIndexPastTheSignedRangeIsACompareThatFails() throws Exception {
    f.form("PUT", "/v2/keys/k", "value=v");
    String failed = "{\"errorCode\":101,\"message\":\"Compare failed\",\"cause\":"
        + "\"[18446744073709551615 != 1]\",\"index\":1}\n";
    HttpResponse<String> put = f.form("PUT", "/v2/keys/k?prevIndex=18446744073709551615",
        "value=w");
    assertEquals(412, put.statusCode(), put.body());
    assertEquals(failed, put.body());
    HttpResponse<String> delete = f.send("DELETE", "/v2/keys/k?prevIndex=18446744073709551615");
    assertEquals(412, delete.statusCode(), delete.body());
    assertEquals(failed, delete.body());
    HttpResponse<String> after = f.get("/v2/keys/k");
    assertEquals("{\"action\":\"get\",\"node\":{\"key\":\"/k\",\"value\":\"v\","
        + "\"modifiedIndex\":1,\"createdIndex\":1}}\n", after.body());
  }
}
