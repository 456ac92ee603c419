package io.v2store.bench;

import java.util.Locale;

/** The workloads the generator can drive. */
public enum Mode {
  PUT, GET, MIXED, WATCH;

  static Mode parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BenchArgs.UsageException("unknown mode '" + text + "' (put, get, mixed, watch)");
    }
  }

  String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}
