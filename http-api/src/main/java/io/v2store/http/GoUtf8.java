package io.v2store.http;

import java.nio.charset.StandardCharsets;

/**
 * Bytes to a String as Go reads invalid UTF-8: each byte that does not start a valid sequence is
 * one U+FFFD (utf8.DecodeRune's width 1). etcd keeps a key's or value's raw bytes and its JSON
 * shows them that way, so {@code %E2%82} reads back as two replacement characters; Java's own
 * decoder would make one of a truncated sequence.
 */
final class GoUtf8 {
  private GoUtf8() {}

  static String decode(byte[] bytes) {
    if (isAscii(bytes)) {
      return new String(bytes, StandardCharsets.US_ASCII);
    }
    StringBuilder out = new StringBuilder(bytes.length);
    int i = 0;
    while (i < bytes.length) {
      int width = validWidth(bytes, i);
      if (width == 0) {
        out.append('\ufffd');
        i++;
      } else {
        out.append(new String(bytes, i, width, StandardCharsets.UTF_8));
        i += width;
      }
    }
    return out.toString();
  }

  /**
   * The length of the valid sequence starting at {@code i}, or 0. Second bytes are bounded as in
   * Go's acceptRanges: no overlong forms, no surrogates, nothing above U+10FFFF.
   */
  private static int validWidth(byte[] b, int i) {
    int b0 = b[i] & 0xff;
    if (b0 < 0x80) {
      return 1;
    }
    int width;
    int low = 0x80;
    int high = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      width = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      width = 3;
      low = b0 == 0xe0 ? 0xa0 : 0x80;
      high = b0 == 0xed ? 0x9f : 0xbf;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      width = 4;
      low = b0 == 0xf0 ? 0x90 : 0x80;
      high = b0 == 0xf4 ? 0x8f : 0xbf;
    } else {
      return 0;
    }
    if (i + width > b.length) {
      return 0;
    }
    int b1 = b[i + 1] & 0xff;
    if (b1 < low || b1 > high) {
      return 0;
    }
    for (int k = 2; k < width; k++) {
      int next = b[i + k] & 0xff;
      if (next < 0x80 || next > 0xbf) {
        return 0;
      }
    }
    return width;
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }
}
