package io.v2store.http;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Go's mime.ParseMediaType, as Request.ParseForm reads a POST, PUT or PATCH's Content-Type: etcd
 * refuses the request (error 210, Go's words as the cause) when it reports an error, whatever
 * the type. The header is read as ISO-8859-1, one char per byte; a byte above 0x7E is never part
 * of a token, as in Go.
 */
final class GoMime {
  private GoMime() {}

  static final class MediaTypeException extends Exception {
    MediaTypeException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The media type, lower case.
   *
   * @throws MediaTypeException with Go's message when Go's parser reports an error
   */
  static String parseMediaType(String v) throws MediaTypeException {
    int semicolon = v.indexOf(';');
    String base = semicolon < 0 ? v : v.substring(0, semicolon);
    String mediaType = trimRightSpace(trimLeftSpace(base.toLowerCase(Locale.ROOT)));
    checkMediaTypeDisposition(mediaType);
    Set<String> seen = new HashSet<>();
    String rest = v.substring(base.length());
    while (!rest.isEmpty()) {
      rest = trimLeftSpace(rest);
      if (rest.isEmpty()) {
        break;
      }
      String[] param = consumeMediaParam(rest);
      if (param == null) {
        if (trimRightSpace(rest).equals(";")) {
          break; // a trailing semicolon is not an error
        }
        throw new MediaTypeException("mime: invalid media parameter");
      }
      // (Go keeps "name*..." parameters in maps of their own, but their names, which hold a
      // '*', never equal a plain one's.)
      if (!seen.add(param[0])) {
        throw new MediaTypeException("mime: duplicate parameter name");
      }
      rest = param[1];
    }
    return mediaType;
  }

  private static void checkMediaTypeDisposition(String s) throws MediaTypeException {
    int typeEnd = tokenEnd(s, 0);
    if (typeEnd == 0) {
      throw new MediaTypeException("mime: no media type");
    }
    if (typeEnd == s.length()) {
      return;
    }
    if (s.charAt(typeEnd) != '/') {
      throw new MediaTypeException("mime: expected slash after first token");
    }
    int subtypeEnd = tokenEnd(s, typeEnd + 1);
    if (subtypeEnd == typeEnd + 1) {
      throw new MediaTypeException("mime: expected token after slash");
    }
    if (subtypeEnd != s.length()) {
      throw new MediaTypeException("mime: unexpected content after media subtype");
    }
  }

  /** Go's consumeMediaParam: {lower-case name, rest}, or null where Go returns no name. */
  private static String[] consumeMediaParam(String v) {
    String rest = trimLeftSpace(v);
    if (!rest.startsWith(";")) {
      return null;
    }
    rest = trimLeftSpace(rest.substring(1));
    int nameEnd = tokenEnd(rest, 0);
    if (nameEnd == 0) {
      return null;
    }
    String name = rest.substring(0, nameEnd).toLowerCase(Locale.ROOT);
    rest = trimLeftSpace(rest.substring(nameEnd));
    if (!rest.startsWith("=")) {
      return null;
    }
    rest = trimLeftSpace(rest.substring(1));
    int valueEnd = valueEnd(rest);
    if (valueEnd <= 0) {
      return null; // no value (Go's: an empty value that consumed nothing)
    }
    return new String[] {name, rest.substring(valueEnd)};
  }

  /**
   * Where Go's consumeValue stops: after a token, or after a quoted string's closing quote;
   * -1 for an unterminated quoted string or one holding CR or LF. (An empty quoted string
   * consumes its quotes, and Go takes it.)
   */
  private static int valueEnd(String v) {
    if (v.isEmpty()) {
      return 0;
    }
    if (v.charAt(0) != '"') {
      return tokenEnd(v, 0);
    }
    for (int i = 1; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < v.length() && isTSpecial(v.charAt(i + 1))) {
        i++;
        continue;
      }
      if (c == '\r' || c == '\n') {
        return -1;
      }
    }
    return -1;
  }

  private static int tokenEnd(String s, int from) {
    int i = from;
    while (i < s.length() && isTokenChar(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isTokenChar(char c) {
    return c > 0x20 && c < 0x7f && !isTSpecial(c);
  }

  private static boolean isTSpecial(char c) {
    return "()<>@,;:\\\"/[]?=".indexOf(c) >= 0;
  }

  private static String trimLeftSpace(String s) {
    int i = 0;
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  private static String trimRightSpace(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  /**
   * unicode.IsSpace for a byte on its own (U+0085 and U+00A0 are spaces to Go only as UTF-8,
   * two bytes, one of which is no space alone).
   */
  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }
}
