package io.v2store.http;

/** Go's strconv.ParseBool and ParseUint(s, 10, 64), which etcd uses for every parameter. */
final class GoParse {
  private GoParse() {}

  /** Returns TRUE, FALSE, or null when s is not one of Go's spellings (empty included). */
  static Boolean parseBool(String s) {
    switch (s) {
      case "1": case "t": case "T": case "TRUE": case "true": case "True":
        return Boolean.TRUE;
      case "0": case "f": case "F": case "FALSE": case "false": case "False":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  /**
   * Parses an unsigned decimal 64-bit integer; the result is the two's-complement bit pattern
   * (values above Long.MAX_VALUE come back negative: callers treat them as unsigned).
   *
   * @throws NumberFormatException for empty input, signs, spaces, other bases or overflow
   */
  static long parseUint64(String s) {
    if (s.isEmpty()) {
      throw new NumberFormatException("empty");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException(s);
      }
    }
    return Long.parseUnsignedLong(s);
  }
}
