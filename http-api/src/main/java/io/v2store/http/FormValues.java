package io.v2store.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request's named parameters as Go's Request.ParseForm builds them: the form body's values
 * first (so the body wins), then the query's; for a repeated name the first occurrence wins.
 */
final class FormValues {
  private final Map<String, List<String>> values;

  private FormValues(Map<String, List<String>> values) {
    this.values = values;
  }

  static FormValues empty() {
    return new FormValues(new LinkedHashMap<>());
  }

  /**
   * Go's url.ParseQuery over the form body (may be null) and the raw query (may be null).
   *
   * @throws PercentDecoder.BadEscapeException the first decoding error, as Go reports it
   */
  static FormValues parse(String body, String rawQuery) throws PercentDecoder.BadEscapeException {
    Map<String, List<String>> values = new LinkedHashMap<>();
    String bodyError = body == null ? null : parseInto(body, values);
    String queryError = rawQuery == null ? null : parseInto(rawQuery, values);
    String error = bodyError != null ? bodyError : queryError;
    if (error != null) {
      throw new PercentDecoder.BadEscapeException(error);
    }
    return new FormValues(values);
  }

  /**
   * Returns the error Go's url.ParseQuery reports, after parsing every well-formed pair: the
   * first bad escape, unless a pair has a ';', whose error replaces any other (Go assigns that
   * one unconditionally).
   */
  private static String parseInto(String query, Map<String, List<String>> into) {
    String firstError = null;
    int start = 0;
    while (start <= query.length()) {
      int amp = query.indexOf('&', start);
      int end = amp < 0 ? query.length() : amp;
      String pair = query.substring(start, end);
      start = end + 1;
      if (pair.isEmpty()) {
        if (amp < 0) {
          break;
        }
        continue;
      }
      if (pair.indexOf(';') >= 0) {
        firstError = "invalid semicolon separator in query";
      } else {
        int eq = pair.indexOf('=');
        String rawKey = eq < 0 ? pair : pair.substring(0, eq);
        String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
        try {
          String key = PercentDecoder.decodeQueryComponent(rawKey);
          String value = PercentDecoder.decodeQueryComponent(rawValue);
          into.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        } catch (PercentDecoder.BadEscapeException e) {
          firstError = firstError != null ? firstError : e.getMessage();
        }
      }
      if (amp < 0) {
        break;
      }
    }
    return firstError;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** The first value, "" when absent (Go's FormValue). */
  String first(String name) {
    List<String> v = values.get(name);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }
}
