package io.v2store.http;

import java.util.Locale;

/**
 * What Go's url.Parse makes of a URL (its scheme, host and unescaped path), or the error it gives,
 * word for word: etcd checks a member's peer URLs with it, and java.net.URI disagrees with it both
 * ways ("not a url" is a relative path to Go; "http://h:abc" is a registry authority to Java).
 * Only what those checks read is kept: no user info, query or fragment.
 */
record GoUrl(String scheme, String host, String path) {

  /** url.Parse's error, as err.Error() prints it. */
  static final class ParseError extends Exception {
    ParseError(String raw, String cause) {
      super("parse " + GoQuote.quote(raw) + ": " + cause, null, false, false);
    }
  }

  private static final class Cause extends Exception {
    Cause(String message) {
      super(message, null, false, false);
    }
  }

  static GoUrl parse(String raw) throws ParseError {
    int hash = raw.indexOf('#');
    String u = hash < 0 ? raw : raw.substring(0, hash);
    GoUrl url;
    try {
      url = parseWithoutFragment(u);
    } catch (Cause c) {
      throw new ParseError(u, c.getMessage());
    }
    try {
      if (hash >= 0) unescape(raw.substring(hash + 1), false);
    } catch (Cause c) {
      throw new ParseError(raw, c.getMessage()); // the fragment's error quotes the whole URL
    }
    return url;
  }

  private static GoUrl parseWithoutFragment(String raw) throws Cause {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f) throw new Cause("net/url: invalid control character in URL");
    }
    String scheme = "";
    String rest = raw;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') continue;
      if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
        if (i == 0) break;
        continue;
      }
      if (c == ':') {
        if (i == 0) throw new Cause("missing protocol scheme");
        scheme = raw.substring(0, i).toLowerCase(Locale.ROOT);
        rest = raw.substring(i + 1);
      }
      break;
    }
    int query = rest.indexOf('?');
    if (query >= 0) rest = rest.substring(0, query);
    if (!rest.startsWith("/")) {
      if (!scheme.isEmpty()) return new GoUrl(scheme, "", ""); // opaque, as "mailto:x"
      int slash = rest.indexOf('/');
      if ((slash < 0 ? rest : rest.substring(0, slash)).indexOf(':') >= 0) {
        throw new Cause("first path segment in URL cannot contain colon");
      }
    }
    String host = "";
    if ((!scheme.isEmpty() || !rest.startsWith("///")) && rest.startsWith("//")) {
      String authority = rest.substring(2);
      int slash = authority.indexOf('/');
      rest = slash < 0 ? "" : authority.substring(slash);
      if (slash >= 0) authority = authority.substring(0, slash);
      host = parseAuthority(authority);
    }
    return new GoUrl(scheme, host, unescape(rest, false));
  }

  private static String parseAuthority(String authority) throws Cause {
    int at = authority.lastIndexOf('@');
    if (at < 0) return parseHost(authority);
    String host = parseHost(authority.substring(at + 1));
    for (int i = 0; i < at; i++) {
      char c = authority.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "-._:~!$&'()*+,;=%@".indexOf(c) >= 0)) {
        throw new Cause("net/url: invalid userinfo");
      }
    }
    return host;
  }

  private static String parseHost(String host) throws Cause {
    if (host.startsWith("[")) {
      int close = host.lastIndexOf(']');
      if (close < 0) throw new Cause("missing ']' in host");
      String colonPort = host.substring(close + 1);
      if (!validOptionalPort(colonPort)) {
        throw new Cause("invalid port " + GoQuote.quote(colonPort) + " after host");
      }
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0 && !validOptionalPort(host.substring(colon))) {
        throw new Cause("invalid port " + GoQuote.quote(host.substring(colon)) + " after host");
      }
    }
    return unescape(host, true);
  }

  private static boolean validOptionalPort(String port) {
    if (port.isEmpty()) return true;
    if (port.charAt(0) != ':') return false;
    for (int i = 1; i < port.length(); i++) {
      if (port.charAt(i) < '0' || port.charAt(i) > '9') return false;
    }
    return true;
  }

  /** url.unescape for a path (or fragment) or, with inHost, a host. */
  private static String unescape(String s, boolean inHost) throws Cause {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
          throw escapeError(s.substring(i, Math.min(s.length(), i + 3)));
        }
        // In a host, escapes are for bytes outside ASCII, and %25 (RFC 6874's zone separator).
        if (inHost && Character.digit(s.charAt(i + 1), 16) < 8 && !s.startsWith("%25", i)) {
          throw escapeError(s.substring(i, i + 3));
        }
        out.append((char) Integer.parseInt(s, i + 1, i + 3, 16));
        i += 2;
      } else {
        if (inHost && c < 0x80 && escapedInHost(c)) {
          throw new Cause("invalid character " + GoQuote.quote(String.valueOf(c)) + " in host name");
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Cause escapeError(String escape) {
    return new Cause("invalid URL escape " + GoQuote.quote(escape));
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 0x80;
  }

  private static boolean escapedInHost(char c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') return false;
    return "!$&'()*+,;=:[]<>\"-_.~".indexOf(c) < 0;
  }

  /** Go's net.SplitHostPort succeeds on host (a port may be empty, as in "h:"). */
  boolean hasHostPort() {
    int colon = host.lastIndexOf(':');
    if (colon < 0) return false;
    int j = 0;
    int k = 0;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      if (end < 0 || end + 1 != colon) return false;
      j = 1;
      k = end + 1;
    } else if (host.substring(0, colon).indexOf(':') >= 0) {
      return false;
    }
    return host.indexOf('[', j) < 0 && host.indexOf(']', k) < 0;
  }
}
