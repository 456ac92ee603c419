package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Go's url.Parse, as etcd 3.4 (Debian's) answered POST /v2/members with these peer URLs. */
class GoUrlTest {
  private static String error(String raw) {
    return assertThrows(GoUrl.ParseError.class, () -> GoUrl.parse(raw)).getMessage();
  }

  @Test
  void errorsInGosWords() {
    assertEquals("parse \"10.0.0.1:2380\": first path segment in URL cannot contain colon",
        error("10.0.0.1:2380"));
    assertEquals("parse \"http://a b:1\": invalid character \" \" in host name",
        error("http://a b:1"));
    assertEquals("parse \"%zz\": invalid URL escape \"%zz\"", error("%zz"));
    assertEquals("parse \":2380\": missing protocol scheme", error(":2380"));
    assertEquals("parse \"http://127.0.0.1:abc\": invalid port \":abc\" after host",
        error("http://127.0.0.1:abc"));
    assertEquals("parse \"http://[::1:2380\": missing ']' in host", error("http://[::1:2380"));
    assertEquals("parse \"http://h\\x01:1\": net/url: invalid control character in URL",
        error("http://h\u0001:1"));
    assertEquals("parse \"http://u^@h:1\": net/url: invalid userinfo", error("http://u^@h:1"));
    assertEquals("parse \"http://h:1/%2\": invalid URL escape \"%2\"", error("http://h:1/%2"));
    // An error in the fragment quotes the whole URL; any other leaves the fragment out.
    assertEquals("parse \"http://h:1#%zz\": invalid URL escape \"%zz\"", error("http://h:1#%zz"));
    assertEquals("parse \"%zz\": invalid URL escape \"%zz\"", error("%zz#x"));
    // In a host only bytes outside ASCII may be escaped.
    assertEquals("parse \"http://h%41:1\": invalid URL escape \"%41\"", error("http://h%41:1"));
  }

  @Test
  void whatGoParsesThoughJavaWouldNot() throws Exception {
    GoUrl relative = GoUrl.parse("not a url");
    assertEquals("", relative.scheme());
    assertEquals("not a url", relative.path());
    GoUrl opaque = GoUrl.parse("localhost:2380");
    assertEquals("localhost", opaque.scheme());
    assertEquals("", opaque.host());
    GoUrl emptyPort = GoUrl.parse("HTTP://h:");
    assertEquals("http", emptyPort.scheme());
    assertTrue(emptyPort.hasHostPort(), "net.SplitHostPort takes an empty port");
  }

  @Test
  void hostAndPort() throws Exception {
    GoUrl v6 = GoUrl.parse("https://[::1]:2380");
    assertEquals("[::1]:2380", v6.host());
    assertTrue(v6.hasHostPort());
    assertEquals("", v6.path());
    assertFalse(GoUrl.parse("http://127.0.0.1").hasHostPort());
    assertFalse(GoUrl.parse("http://a:b:1").hasHostPort());
    assertFalse(GoUrl.parse("http://[::1]").hasHostPort());
    assertEquals("/p", GoUrl.parse("http://h:1/p").path());
    assertEquals("/", GoUrl.parse("http://h:1/?q").path());
    assertEquals("h:1", GoUrl.parse("http://user:pw@h:1").host());
  }
}
