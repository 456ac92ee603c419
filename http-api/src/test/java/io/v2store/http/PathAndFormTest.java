package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathAndFormTest {

  @Test
  void requestPathsAreCleanedLikeGoServeMux() {
    assertEquals("/v2/keys/a/b", PathCleaner.cleanRequestPath("/v2/keys/a//b"));
    assertEquals("/v2/keys/b", PathCleaner.cleanRequestPath("/v2/keys/a/../b"));
    assertEquals("/v2/keys/a", PathCleaner.cleanRequestPath("/v2/keys/./a"));
    assertEquals("/v2/keys/a/", PathCleaner.cleanRequestPath("/v2/keys/a//"));
    assertEquals("/v2/keys/a/", PathCleaner.cleanRequestPath("/v2/keys/a/"));
    assertEquals("/", PathCleaner.cleanRequestPath("/../.."));
  }

  @Test
  void keyPathsDropTheTrailingSlashAndAddressTheRoot() {
    assertEquals("/", PathCleaner.keyPath("/v2/keys", "/v2/keys"));
    assertEquals("/", PathCleaner.keyPath("/v2/keys/", "/v2/keys"));
    assertEquals("/foo", PathCleaner.keyPath("/v2/keys/foo/", "/v2/keys"));
  }

  @Test
  void percentDecodingTreatsSlashEscapeAsSeparatorAndPlusLiterally() throws Exception {
    assertEquals("/v2/keys/a/b", PercentDecoder.decodePath("/v2/keys/a%2Fb"));
    assertEquals("/a+b c", PercentDecoder.decodePath("/a+b%20c"));
    assertEquals("a b", PercentDecoder.decodeQueryComponent("a+b"));
    assertEquals("/\ufffd", PercentDecoder.decodePath("/%FF"));
    assertEquals("\ufffd\ufffd", PercentDecoder.decodeQueryComponent("%e2%82"), "one per byte, as Go");
    PercentDecoder.BadEscapeException e = assertThrows(PercentDecoder.BadEscapeException.class,
        () -> PercentDecoder.decodeQueryComponent("x%ZZy"));
    assertEquals("invalid URL escape \"%ZZ\"", e.getMessage());
    e = assertThrows(PercentDecoder.BadEscapeException.class,
        () -> PercentDecoder.decodeQueryComponent("x%2"));
    assertEquals("invalid URL escape \"%2\"", e.getMessage());
  }

  @Test
  void bodyWinsAndFirstOccurrenceWins() throws Exception {
    FormValues form = FormValues.parse("value=b", "value=a&ttl=1&ttl=100&flag");
    assertEquals("b", form.first("value"));
    assertEquals("1", form.first("ttl"));
    assertTrue(form.has("flag"));
    assertEquals("", form.first("flag"));
    assertFalse(form.has("absent"));
  }

  @Test
  void formErrorsAreGoMessages() {
    assertEquals("invalid URL escape \"%ZZ\"", assertThrows(
        PercentDecoder.BadEscapeException.class,
        () -> FormValues.parse(null, "a=%ZZ")).getMessage());
    assertEquals("invalid semicolon separator in query", assertThrows(
        PercentDecoder.BadEscapeException.class,
        () -> FormValues.parse(null, "a=1;b=2")).getMessage());
    // Go reports a ';' over a bad escape, wherever each is (checked against etcd 3.4)
    assertEquals("invalid semicolon separator in query", assertThrows(
        PercentDecoder.BadEscapeException.class,
        () -> FormValues.parse(null, "%zz=1&x=1;y=2")).getMessage());
    assertEquals("invalid semicolon separator in query", assertThrows(
        PercentDecoder.BadEscapeException.class,
        () -> FormValues.parse("a=%zz&b;=2", null)).getMessage());
    assertEquals("invalid URL escape \"%zz\"", assertThrows(
        PercentDecoder.BadEscapeException.class,
        () -> FormValues.parse("a=%zz", "x=1;y=2")).getMessage(), "the body's error first");
  }

  @Test
  void locationEscaping() {
    assertEquals("/v2/keys/a%20b/c", PathCleaner.escapePath("/v2/keys/a b/c"));
    assertEquals("/v2/keys/%C3%A9", PathCleaner.escapePath("/v2/keys/\u00e9"));
  }
}
