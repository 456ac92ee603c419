package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.EtcdException;
import io.v2store.storage.store.NodeView;
import org.junit.jupiter.api.Test;

class KeysRequestParserTest {
  private static final long NOW = 1_700_000_000_000_000_000L;

  private static KeysRequest parse(String method, String query) throws Exception {
    return KeysRequestParser.parse(method, "/k", FormValues.parse(null, query), NOW);
  }

  private static void assertError(String method, String query, int code, String cause) {
    EtcdException e = assertThrows(EtcdException.class, () -> parse(method, query), query);
    assertEquals(code, e.error().code(), query);
    assertEquals(cause, e.errorCause(), query);
    assertEquals(0, e.index(), query);
  }

  @Test
  void validationOrderMatchesEtcd() {
    assertError("GET", "prevIndex=x&waitIndex=y&recursive=z", 203, "invalid value for \"prevIndex\"");
    assertError("GET", "waitIndex=-1&recursive=z", 203, "invalid value for \"waitIndex\"");
    assertError("GET", "recursive=&sorted=z", 209, "invalid value for \"recursive\"");
    assertError("GET", "sorted=x&wait=y", 209, "invalid value for \"sorted\"");
    assertError("GET", "stream=x&prevValue=", 209, "invalid value for \"stream\"");
    assertError("PUT", "wait=true&prevValue=", 209, "\"wait\" can only be used with GET requests");
    assertError("PUT", "prevValue=&noValueOnSuccess=x", 201, "\"prevValue\" cannot be empty");
    assertError("PUT", "noValueOnSuccess=x&ttl=x", 209, "invalid value for \"noValueOnSuccess\"");
    assertError("PUT", "ttl=-1&prevExist=x", 202, "invalid value for \"ttl\"");
    assertError("PUT", "prevExist=x&refresh=x", 209, "invalid value for prevExist");
    assertError("PUT", "refresh=x", 209, "invalid value for refresh");
    assertError("PUT", "refresh=true&value=v", 211, "A value was provided on a refresh");
    assertError("PUT", "refresh=true&value=", 212, "No TTL value set");
    assertError("DELETE", "prevIndex=1.5", 203, "invalid value for \"prevIndex\"");
  }

  private static String levels(int n) {
    return "/d".repeat(n);
  }

  @Test
  void aWriteMayNotMakeAKeyDeeperThanEtcdCouldHoldOne() throws Exception {
    int max = KeysRequestParser.MAX_KEY_LEVELS;
    FormValues none = FormValues.parse(null, "value=v");
    assertEquals(levels(max), KeysRequestParser.parse("PUT", levels(max), none, NOW).path());
    EtcdException e = assertThrows(EtcdException.class,
        () -> KeysRequestParser.parse("PUT", levels(max + 1), none, NOW));
    assertEquals(209, e.error().code());
    assertEquals(400, e.error().httpStatus());
    assertEquals("a key may have at most 2048 levels, this one would have 2049", e.errorCause());
    assertEquals(0, e.index());
    // POST makes a key one level below its path
    KeysRequestParser.parse("POST", levels(max - 1), none, NOW);
    assertThrows(EtcdException.class,
        () -> KeysRequestParser.parse("POST", levels(max), none, NOW));
    // etcd's own errors first
    e = assertThrows(EtcdException.class, () -> KeysRequestParser.parse("PUT", levels(max + 1),
        FormValues.parse(null, "ttl=x"), NOW));
    assertEquals(202, e.error().code());
    // reading or removing writes nothing
    KeysRequestParser.parse("GET", levels(max + 1), none, NOW);
    KeysRequestParser.parse("DELETE", levels(max + 1), none, NOW);
    assertEquals(0, KeysRequestParser.levels("/"));
    assertEquals(2, KeysRequestParser.levels("/a/b"));
  }

  @Test
  void ttlBecomesAnExpirationFromTheGivenClock() throws Exception {
    assertEquals(NOW + 100_000_000_000L, parse("PUT", "ttl=100").expirationNanos());
    assertEquals(NodeView.NEVER, parse("PUT", "ttl=").expirationNanos());
    assertEquals(NodeView.NEVER, parse("PUT", "").expirationNanos());
    assertEquals(NodeView.NEVER - 1, parse("PUT", "ttl=18446744073709551615").expirationNanos());
    assertEquals(NOW, parse("PUT", "ttl=0").expirationNanos());
  }

  @Test
  void writeRequestCarriesOnlyWhatWasGiven() throws Exception {
    V2Request plain = parse("PUT", "value=v").toV2Request();
    assertEquals(V2Request.Method.PUT, plain.getMethod());
    assertEquals("/k", plain.getPath());
    assertEquals("v", plain.getValue());
    assertFalse(plain.hasPrevValue());
    assertFalse(plain.hasPrevExist());
    assertFalse(plain.hasExpiration());

    V2Request cas = parse("PUT",
        "prevValue=old&prevIndex=7&prevExist=true&ttl=5&dir=true&refresh=false").toV2Request();
    assertEquals("old", cas.getPrevValue());
    assertEquals(7, cas.getPrevIndex());
    assertTrue(cas.hasPrevExist() && cas.getPrevExist());
    assertEquals(NOW + 5_000_000_000L, cas.getExpiration());
    assertTrue(cas.getDir());

    V2Request delete = parse("DELETE", "recursive=true&prevExist=false").toV2Request();
    assertEquals(V2Request.Method.DELETE, delete.getMethod());
    assertTrue(delete.getRecursive());
    assertTrue(delete.hasPrevExist() && !delete.getPrevExist());

    V2Request refresh = parse("PUT", "refresh=true&ttl=3").toV2Request();
    assertTrue(refresh.getRefresh());
  }

  @Test
  void readFlagsAndIgnoredWriteParameters() throws Exception {
    KeysRequest r = parse("GET", "wait=true&waitIndex=5&recursive=1&stream=T&value=x&quorum=True");
    assertTrue(r.waitForChange());
    assertEquals(5, r.waitIndex());
    assertTrue(r.recursive() && r.stream() && r.quorum());
    assertNull(r.prevExist());
    assertTrue(parse("PUT", "noValueOnSuccess=true").noValueOnSuccess());
  }
}
