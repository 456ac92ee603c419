package io.v2store.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes JSON string literals the way Go's encoding/json does by default: &lt; &gt; &amp; and
 * U+2028/U+2029 escaped, control characters as backslash-n, -r, -t or a 4-digit escape, and
 * anything that is not valid UTF-16 (an unpaired surrogate) as the escaped replacement character
 * U+FFFD, so the output is always valid UTF-8.
 */
final class JsonText {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private JsonText() {}

  /** Appends "s" (with the quotes) to out. */
  static void writeString(ByteBuf out, String s) {
    int n = s.length();
    out.ensureWritable(n + 2);
    out.writeByte('"');
    // Most keys and values are printable ASCII with nothing to escape. Those go in one bulk
    // copy: writing them byte by byte checked the buffer's bounds and reference count for each
    // byte: 8% of a member's CPU profile under plain reads of 256-byte values.
    int plain = plainPrefix(s);
    if (plain == n) {
      out.writeCharSequence(s, StandardCharsets.US_ASCII);
    } else {
      if (plain > 0) out.writeCharSequence(s.subSequence(0, plain), StandardCharsets.US_ASCII);
      writeEscaped(out, s, plain);
    }
    out.writeByte('"');
  }

  /** The length of s's leading run of characters written as they are. */
  private static int plainPrefix(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
        return i;
      }
    }
    return n;
  }

  private static void writeEscaped(ByteBuf out, String s, int from) {
    int n = s.length();
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        writeAscii(out, c);
      } else if (c < 0x800) {
        out.writeByte(0xC0 | (c >> 6));
        out.writeByte(0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.writeByte(0xF0 | (cp >> 18));
        out.writeByte(0x80 | ((cp >> 12) & 0x3F));
        out.writeByte(0x80 | ((cp >> 6) & 0x3F));
        out.writeByte(0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        writeUnicodeEscape(out, 0xFFFD);
      } else if (c == 0x2028 || c == 0x2029 || c == 0xFFFD) {
        // U+FFFD here almost always stands for bytes that were not UTF-8 on input, which Go
        // writes as this escape: emitting it the same way keeps the bytes equal to etcd's.
        writeUnicodeEscape(out, c);
      } else {
        out.writeByte(0xE0 | (c >> 12));
        out.writeByte(0x80 | ((c >> 6) & 0x3F));
        out.writeByte(0x80 | (c & 0x3F));
      }
    }
  }

  private static void writeAscii(ByteBuf out, char c) {
    switch (c) {
      case '"':
        out.writeByte('\\').writeByte('"');
        return;
      case '\\':
        out.writeByte('\\').writeByte('\\');
        return;
      case '\n':
        out.writeByte('\\').writeByte('n');
        return;
      case '\r':
        out.writeByte('\\').writeByte('r');
        return;
      case '\t':
        out.writeByte('\\').writeByte('t');
        return;
      case '<': case '>': case '&':
        writeUnicodeEscape(out, c);
        return;
      default:
        if (c < 0x20) {
          writeUnicodeEscape(out, c);
        } else {
          out.writeByte(c);
        }
    }
  }

  private static void writeUnicodeEscape(ByteBuf out, int c) {
    out.writeByte('\\').writeByte('u');
    out.writeByte(HEX[(c >> 12) & 0xF]).writeByte(HEX[(c >> 8) & 0xF]);
    out.writeByte(HEX[(c >> 4) & 0xF]).writeByte(HEX[c & 0xF]);
  }

  /** Appends the field name with its quotes and colon: "name": */
  static void writeName(ByteBuf out, String asciiName) {
    out.writeByte('"');
    out.writeCharSequence(asciiName, StandardCharsets.US_ASCII);
    out.writeByte('"').writeByte(':');
  }

  static void writeLong(ByteBuf out, long value) {
    out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
  }

  /** A Java String holding the JSON literal of s, for the small non-hot-path bodies. */
  static String quote(String s) {
    ByteBuf buf = io.netty.buffer.Unpooled.buffer(s.length() + 2);
    writeString(buf, s);
    return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
