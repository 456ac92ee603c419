package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Go's encoding/json syntax errors: each expected message is what etcd 3.4.23 answered to a
 * POST /v2/members with that body (Debian's etcd-server, recorded by hand).
 */
class GoJsonSyntaxTest {
  private static final Map<String, String> ETCD_ANSWERS = Map.ofEntries(
        Map.entry("{peerURLs:[]}", "invalid character 'p' looking for beginning of object key string"),
        Map.entry("{\"peerURLs\" []}", "invalid character '[' after object key"),
        Map.entry("{\"peerURLs\":[] x", "invalid character 'x' after object key:value pair"),
        Map.entry("{\"peerURLs\":[]]", "invalid character ']' after object key:value pair"),
        Map.entry("{\"peerURLs\":[\"a\" \"b\"]}", "invalid character '\"' after array element"),
        Map.entry("{\"peerURLs\":[\"a\",]}", "invalid character ']' looking for beginning of value"),
        Map.entry("{,}", "invalid character ',' looking for beginning of object key string"),
        Map.entry("{\"a\":1,}", "invalid character '}' looking for beginning of object key string"),
        Map.entry("[1,]", "invalid character ']' looking for beginning of value"),
        Map.entry("[1 2]", "invalid character '2' after array element"),
        Map.entry("{\"a\":}", "invalid character '}' looking for beginning of value"),
        Map.entry("tru", "invalid character ' ' in literal true (expecting 'e')"),
        Map.entry("trux", "invalid character 'x' in literal true (expecting 'e')"),
        Map.entry("falsy", "invalid character 'y' in literal false (expecting 'e')"),
        Map.entry("nulx", "invalid character 'x' in literal null (expecting 'l')"),
        Map.entry("NaN", "invalid character 'N' looking for beginning of value"),
        Map.entry("-", "invalid character ' ' in numeric literal"),
        Map.entry("-x", "invalid character 'x' in numeric literal"),
        Map.entry("01", "invalid character '1' after top-level value"),
        Map.entry("1.", "invalid character ' ' after decimal point in numeric literal"),
        Map.entry("1.x", "invalid character 'x' after decimal point in numeric literal"),
        Map.entry("1e", "invalid character ' ' in exponent of numeric literal"),
        Map.entry("1ex", "invalid character 'x' in exponent of numeric literal"),
        Map.entry(".5", "invalid character '.' looking for beginning of value"),
        Map.entry("\"abc", "unexpected end of JSON input"),
        Map.entry("\"a\\qb\"", "invalid character 'q' in string escape code"),
        Map.entry("\"a\\u12x4\"", "invalid character 'x' in \\u hexadecimal character escape"),
        Map.entry("\"\u0001\"", "invalid character '\\x01' in string literal"),
        Map.entry("'a'", "invalid character '\\'' looking for beginning of value"),
        Map.entry("]", "invalid character ']' looking for beginning of value"),
        Map.entry("{]", "invalid character ']' looking for beginning of object key string"),
        Map.entry("[}", "invalid character '}' looking for beginning of value"),
        Map.entry("\u007f", "invalid character '\\x7f' looking for beginning of value"),
        Map.entry("\u0080", "invalid character '\u00c2' looking for beginning of value"),
        Map.entry("\u00e9", "invalid character '\u00c3' looking for beginning of value"),
        Map.entry("{\"\u00e9\":1", "unexpected end of JSON input"),
        Map.entry("{\"a\":1}}", "invalid character '}' after top-level value"),
        Map.entry("[\u000b]", "invalid character '\\v' looking for beginning of value"),
        Map.entry("[\u0007]", "invalid character '\\a' looking for beginning of value"),
        Map.entry("{\"a\"\r:1 x}", "invalid character 'x' after object key:value pair"),
        Map.entry("{\"a\":\"\\u00e9\"} 1", "invalid character '1' after top-level value"),
        Map.entry(" \n\t ", "unexpected end of JSON input"));

  @Test
  void malformedBodiesGetEtcdsMessages() {
    for (Map.Entry<String, String> c : ETCD_ANSWERS.entrySet()) {
      assertEquals(c.getValue(), GoJsonSyntax.error(c.getKey()), c.getKey());
    }
  }

  @Test
  void validJsonPassesWhateverItHolds() {
    for (String body : new String[] {"{}", "[]", "null", " true ", "false", "-0.5e+10", "1E-2", "\"\\u00e9\\n\"",
        "{\"peerURLs\":[\"http://h:1\"],\"x\":{\"y\":[1,2,{}]}}\r\n", "[" .repeat(10_000) + "]".repeat(10_000)}) {
      assertNull(GoJsonSyntax.error(body), body.length() > 80 ? body.substring(0, 80) : body);
    }
  }

  /** Go's decoder takes 10,000 levels of nesting; the next one is refused at its bracket. */
  @Test
  void oneLevelPastGosMaximumDepthIsRefusedAtItsBracket() {
    assertEquals("invalid character '[' exceeded max depth", GoJsonSyntax.error("[".repeat(10_001)));
    assertEquals("invalid character '{' exceeded max depth",
        GoJsonSyntax.error("[".repeat(10_000) + "{"));
    assertEquals("unexpected end of JSON input", GoJsonSyntax.error("[".repeat(10_000)));
  }
}
