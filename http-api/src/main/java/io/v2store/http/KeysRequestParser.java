package io.v2store.http;

import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.EtcdException;
import io.v2store.storage.store.NodeView;

/**
 * Turns a keys-API request's parameters into a {@link KeysRequest}, checking them in exactly the
 * order etcd does (spec 5.4) so the first failure reported is the same; all such errors carry
 * index 0.
 */
final class KeysRequestParser {
  private static final String[] BOOLEANS = {
      "recursive", "sorted", "wait", "dir", "quorum", "stream"};

  /**
   * The most levels a written key may have. etcd's client port resets a request line over about
   * 4 KiB, so its keys stop near 2,000 levels; ours reads 64 KiB lines. A recursive listing repeats
   * each node's whole path, so it grows with the square of the depth: a chain of 30,000 levels
   * would list in a gigabyte, from one read. Past etcd's reach, so no etcd client meets it.
   */
  static final int MAX_KEY_LEVELS = 2048;

  private KeysRequestParser() {}

  /**
   * @param nowNanos the receiving member's clock: expiration = now + ttl
   * @throws EtcdException a validation error (2xx codes, index 0)
   */
  static KeysRequest parse(String method, String keyPath, FormValues form, long nowNanos) {
    long prevIndex = uint(form, "prevIndex", EtcdError.INDEX_NAN, "invalid value for \"prevIndex\"");
    long waitIndex = uint(form, "waitIndex", EtcdError.INDEX_NAN, "invalid value for \"waitIndex\"");
    boolean[] flags = new boolean[BOOLEANS.length];
    for (int i = 0; i < BOOLEANS.length; i++) {
      flags[i] = bool(form, BOOLEANS[i], "invalid value for \"" + BOOLEANS[i] + "\"");
    }
    boolean recursive = flags[0];
    boolean sorted = flags[1];
    boolean wait = flags[2];
    boolean dir = flags[3];
    boolean quorum = flags[4];
    boolean stream = flags[5];
    if (wait && !method.equals("GET")) {
      throw invalid(EtcdError.INVALID_FIELD, "\"wait\" can only be used with GET requests");
    }
    String prevValue = null;
    if (form.has("prevValue")) {
      prevValue = form.first("prevValue");
      if (prevValue.isEmpty()) {
        throw invalid(EtcdError.PREV_VALUE_REQUIRED, "\"prevValue\" cannot be empty");
      }
    }
    boolean noValueOnSuccess =
        bool(form, "noValueOnSuccess", "invalid value for \"noValueOnSuccess\"");
    long expirationNanos = NodeView.NEVER;
    String ttlText = form.first("ttl");
    if (!ttlText.isEmpty()) {
      long ttl = uint(form, "ttl", EtcdError.TTL_NAN, "invalid value for \"ttl\"");
      expirationNanos = expiration(nowNanos, ttl);
    }
    Boolean prevExist = null;
    if (form.has("prevExist")) {
      prevExist = bool(form, "prevExist", "invalid value for prevExist");
    }
    boolean refresh = false;
    if (form.has("refresh")) {
      refresh = bool(form, "refresh", "invalid value for refresh");
      if (refresh) {
        if (!form.first("value").isEmpty()) {
          throw invalid(EtcdError.REFRESH_VALUE, "A value was provided on a refresh");
        }
        if (expirationNanos == NodeView.NEVER) {
          throw invalid(EtcdError.REFRESH_TTL_REQUIRED, "No TTL value set");
        }
      }
    }
    // after etcd's own checks: etcd never sees such a key (see MAX_KEY_LEVELS)
    int levels = levels(keyPath) + (method.equals("POST") ? 1 : 0);
    if ((method.equals("PUT") || method.equals("POST")) && levels > MAX_KEY_LEVELS) {
      throw invalid(EtcdError.INVALID_FIELD,
          "a key may have at most " + MAX_KEY_LEVELS + " levels, this one would have " + levels);
    }
    return new KeysRequest(method, keyPath, form.first("value"), dir, prevValue, prevIndex,
        prevExist, wait, waitIndex, recursive, sorted, quorum, stream, refresh, noValueOnSuccess,
        expirationNanos);
  }

  /** The levels of a key's path: "/a/b" has two. */
  static int levels(String keyPath) {
    int levels = 0;
    for (int i = 0; i < keyPath.length(); i++) {
      if (keyPath.charAt(i) == '/' && i + 1 < keyPath.length()) {
        levels++;
      }
    }
    return levels;
  }

  /** now + ttl seconds, saturating below {@link NodeView#NEVER}; ttl is unsigned. */
  static long expiration(long nowNanos, long ttlSecondsUnsigned) {
    long limit = NodeView.NEVER - 1;
    if (ttlSecondsUnsigned < 0 || ttlSecondsUnsigned > limit / 1_000_000_000L) {
      return limit;
    }
    long delta = ttlSecondsUnsigned * 1_000_000_000L;
    if (nowNanos > limit - delta) {
      return limit;
    }
    return nowNanos + delta;
  }

  private static long uint(FormValues form, String name, EtcdError error, String cause) {
    if (!form.has(name)) {
      return 0;
    }
    try {
      return GoParse.parseUint64(form.first(name));
    } catch (NumberFormatException e) {
      throw invalid(error, cause);
    }
  }

  private static boolean bool(FormValues form, String name, String cause) {
    if (!form.has(name)) {
      return false;
    }
    Boolean b = GoParse.parseBool(form.first(name));
    if (b == null) {
      throw invalid(EtcdError.INVALID_FIELD, cause);
    }
    return b;
  }

  private static EtcdException invalid(EtcdError error, String cause) {
    return error.with(cause, 0);
  }
}
