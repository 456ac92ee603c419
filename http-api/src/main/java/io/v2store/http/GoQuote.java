package io.v2store.http;

/**
 * A close cousin of Go's strconv.Quote for the short strings that appear in error causes. Input
 * chars are raw bytes (ISO-8859-1): printable ASCII is kept, the rest become \xNN.
 */
final class GoQuote {
  private GoQuote() {}

  static String quote(String bytes) {
    StringBuilder sb = new StringBuilder(bytes.length() + 2).append('"');
    for (int i = 0; i < bytes.length(); i++) {
      char c = bytes.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7F) {
        sb.append(c);
      } else {
        sb.append(String.format("\\x%02x", (int) c & 0xFF));
      }
    }
    return sb.append('"').toString();
  }
}
