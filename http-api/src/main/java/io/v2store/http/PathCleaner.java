package io.v2store.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Go's path.Clean and net/http ServeMux's cleanPath, plus the escaping of a redirect target. */
final class PathCleaner {
  private PathCleaner() {}

  /** path.Clean: no //, no . or .. components, no trailing slash except for "/". */
  static String clean(String p) {
    // Every request cleans its path twice (the request's, then the key's), and nearly every
    // path is clean already: splitting and joining it anyway was ~3% of a member's profile under
    // plain reads.
    return isClean(p) ? p : cleanComponents(p);
  }

  /**
   * Whether p is rooted and clean(p) is p: no empty, "." or ".." component and no trailing
   * slash. (Relative paths, which requests never have, are left to the full algorithm.)
   */
  static boolean isClean(String p) {
    int n = p.length();
    if (n == 0 || p.charAt(0) != '/') return false;
    if (n == 1) return true;
    if (p.charAt(n - 1) == '/') return false;
    int start = 1; // the current component's first character
    for (int i = 1; i <= n; i++) {
      if (i < n && p.charAt(i) != '/') continue;
      int len = i - start;
      if (len == 0) return false;
      if (p.charAt(start) == '.' && (len == 1 || (len == 2 && p.charAt(start + 1) == '.'))) {
        return false;
      }
      start = i + 1;
    }
    return true;
  }

  /** path.Clean by components, for a path that is not clean already. */
  static String cleanComponents(String p) {
    if (p.isEmpty()) {
      return ".";
    }
    boolean rooted = p.charAt(0) == '/';
    Deque<String> parts = new ArrayDeque<>();
    for (String part : p.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.removeLast();
        } else if (!rooted) {
          parts.addLast("..");
        }
        continue;
      }
      parts.addLast(part);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** ServeMux.cleanPath: like clean, but rooted, keeping one trailing slash if there was one. */
  static String cleanRequestPath(String p) {
    if (p.isEmpty()) {
      return "/";
    }
    if (p.charAt(0) != '/') {
      p = "/" + p;
    }
    String np = clean(p);
    if (p.charAt(p.length() - 1) == '/' && !np.equals("/")) {
      np += "/";
    }
    return np;
  }

  /** The key path a keys-API request addresses: "/v2/keys/a/b/" -> "/a/b", "/v2/keys" -> "/". */
  static String keyPath(String cleanedRequestPath, String prefix) {
    return clean("/" + cleanedRequestPath.substring(prefix.length()));
  }

  /** url.URL.EscapedPath for a decoded path, as Go writes it into a Location header. */
  static String escapePath(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 8);
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-_.~$&+,/:;=@".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return sb.toString();
  }
}
