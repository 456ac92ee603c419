package io.v2store.bench;

import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Why requests failed, counted by kind: a run that reports "256 errors" must also say whether
 * they were timeouts, refusals or closed connections, or nobody can tell a server's fault from
 * the client's. Bounded: past {@link #MAX_KINDS} distinct kinds the rest are counted as "other".
 */
final class ErrorKinds {
  static final int MAX_KINDS = 16;
  static final String OTHER = "other";
  static final String CLOSED = "connection closed";
  private static final int MAX_BODY_CHARS = 160;
  /** An error body's index differs from answer to answer; without it, one kind is one line. */
  private static final Pattern INDEX = Pattern.compile(",?\"index\":\\d+");

  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

  /** One kind and how often it happened. */
  record Kind(String kind, long count) {}

  void add(String kind) {
    LongAdder n = counts.get(kind);
    if (n == null) {
      n = counts.size() < MAX_KINDS
          ? counts.computeIfAbsent(kind, k -> new LongAdder())
          : counts.computeIfAbsent(OTHER, k -> new LongAdder());
    }
    n.increment();
  }

  /** Most frequent first. */
  List<Kind> snapshot() {
    List<Kind> kinds = new ArrayList<>();
    counts.forEach((k, n) -> {
      long c = n.sum();
      if (c > 0) kinds.add(new Kind(k, c));
    });
    kinds.sort(Comparator.comparingLong(Kind::count).reversed().thenComparing(Kind::kind));
    return kinds;
  }

  void reset() {
    counts.clear();
  }

  /** An answer that is not a success, as its status and its body without the index. */
  static String of(FullHttpResponse response) {
    String body = response.content().toString(StandardCharsets.UTF_8).strip();
    body = INDEX.matcher(body).replaceAll("");
    if (body.length() > MAX_BODY_CHARS) body = body.substring(0, MAX_BODY_CHARS) + "...";
    return "HTTP " + response.status().code() + (body.isEmpty() ? "" : " " + body);
  }
}
