package io.v2store.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Go's url.PathUnescape / QueryUnescape. Bytes that are not UTF-8 become U+FFFD, one per byte
 * ({@link GoUtf8}): etcd keeps the raw bytes but every JSON it writes shows each as the
 * replacement character, so what a client reads back is the same
 * (two keys differing only in invalid bytes are one key here; etcd keeps them apart).
 */
final class PercentDecoder {
  private PercentDecoder() {}

  /** Thrown for a malformed escape; the message is Go's: invalid URL escape "%ZZ". */
  static final class BadEscapeException extends Exception {
    BadEscapeException(String message) {
      super(message, null, false, false);
    }
  }

  static String decodePath(String s) throws BadEscapeException {
    return decode(s, false);
  }

  static String decodeQueryComponent(String s) throws BadEscapeException {
    return decode(s, true);
  }

  private static String decode(String s, boolean plusIsSpace) throws BadEscapeException {
    if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
      return s;
    }
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      if (b == '%') {
        if (i + 2 >= raw.length || hex(raw[i + 1]) < 0 || hex(raw[i + 2]) < 0) {
          int end = Math.min(raw.length, i + 3);
          throw new BadEscapeException(
              "invalid URL escape " + GoQuote.quote(new String(raw, i, end - i,
                  StandardCharsets.ISO_8859_1)));
        }
        out.write(hex(raw[i + 1]) << 4 | hex(raw[i + 2]));
        i += 2;
      } else if (b == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        out.write(b);
      }
    }
    return GoUtf8.decode(out.toByteArray());
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
