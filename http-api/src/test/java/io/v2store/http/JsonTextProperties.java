package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * JsonText.writeString against a plain statement of Go's encoding/json rules for a string, on
 * strings heavy with what must be escaped, short and long.
 */
class JsonTextProperties {

  /** Go's rules, code point by code point, with Java's own UTF-8 encoder doing the bytes. */
  private static byte[] goQuoted(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', 0x2028, 0x2029, 0xFFFD -> sb.append(String.format("\\u%04x", cp));
        default -> {
          if (cp < 0x20) {
            sb.append(String.format("\\u%04x", cp));
          } else if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
            sb.append("\\ufffd"); // an unpaired surrogate is not valid UTF-16
          } else {
            sb.appendCodePoint(cp);
          }
        }
      }
    }
    return sb.append('"').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] written(String s) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeByte('x'); // not at the buffer's start, as inside a body
    JsonText.writeString(buf, s);
    byte[] out = new byte[buf.readableBytes() - 1];
    buf.getBytes(1, out);
    buf.release();
    return out;
  }

  @Property(tries = 300)
  void writesWhatGoWould(@ForAll("texts") String s) {
    assertArrayEquals(goQuoted(s), written(s));
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<Character> special = Arbitraries.of('"', '\\', '\n', '\r', '\t', '\u0001', '\u001f',
        '<', '>', '&', '\u2028', '\u2029', '\ufffd', '\ud800', '\udbff', '\udc00', '\ud83d',
        '\ude00', '\u00e9', '\u07ff', '\u0800', '\uffff', 'a', '~');
    Arbitrary<Character> chars = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, special), net.jqwik.api.Tuple.of(1, Arbitraries.chars().all()));
    // Printable ASCII (and DEL) is copied in bulk up to the first character that is not: runs of
    // it, alone and ahead of anything else, take that path and its hand-over to the slow one.
    Arbitrary<String> printable = Arbitraries.strings().withCharRange(' ', '\u007f').ofMaxLength(300);
    return Arbitraries.oneOf(
        chars.list().ofMaxSize(64).map(JsonTextProperties::join),
        chars.list().ofMinSize(16_000).ofMaxSize(40_000).map(JsonTextProperties::join),
        printable,
        net.jqwik.api.Combinators.combine(printable, chars.list().ofMaxSize(64))
            .as((head, tail) -> head + join(tail)));
  }

  private static String join(List<Character> chars) {
    StringBuilder sb = new StringBuilder(chars.size());
    chars.forEach(sb::append);
    return sb.toString();
  }

  /** Every escape and multi-byte form after long plain runs (where a buffer would grow). */
  @Example
  void escapesAfterLongPlainRuns() {
    for (String tail : List.of("\"", "<", "\u0001", "\u00e9", "\u2028", "\ud83d\ude00", "\ud800",
        "\u20ac")) {
      for (int pad = 16_360; pad < 16_400; pad++) {
        String s = "a".repeat(pad) + tail + "b".repeat(3) + tail;
        assertArrayEquals(goQuoted(s), written(s), "pad " + pad + " tail " + tail);
      }
    }
  }
}
