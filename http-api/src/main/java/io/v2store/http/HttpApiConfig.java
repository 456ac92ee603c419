package io.v2store.http;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Everything the HTTP layer is told by the server's command line.
 *
 * @param maxRequestBytes the largest request (headers excluded) accepted; larger ones get 413
 * @param corsOrigins allowed origins; ["*"] (etcd's default) allows every origin
 * @param clock the clock TTLs are computed against (the receiving member's clock, spec 8.1)
 * @param serverVersion reported by /version as etcdserver
 * @param clusterVersion reported by /version as etcdcluster
 * @param requestTimeoutMillis how long a write, quorum read or member change may wait before it
 *     is answered 500/300 "etcdserver: request timed out" (etcd: 5 s + 2 x election timeout)
 * @param enableV2 serve the v2 API; when false only /version, /health and /metrics answer, the
 *     rest is 404, as etcd 3.4 does without --enable-v2
 * @param hostWhitelist the Host names an http:// client listener answers (etcd's
 *     --host-whitelist); empty or "*" answers any
 */
public record HttpApiConfig(
    long maxRequestBytes,
    List<String> corsOrigins,
    Clock clock,
    String serverVersion,
    String clusterVersion,
    long requestTimeoutMillis,
    boolean enableV2,
    List<String> hostWhitelist) {

  /** etcd's defaults: 1.5 MiB, any origin, 7 s (5 s + 2 x 1 s election timeout). */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 1_572_864;
  public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 7_000;

  public HttpApiConfig {
    if (maxRequestBytes <= 0 || maxRequestBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxRequestBytes out of range: " + maxRequestBytes);
    }
    if (requestTimeoutMillis <= 0) {
      throw new IllegalArgumentException("requestTimeoutMillis must be > 0");
    }
    corsOrigins = List.copyOf(corsOrigins);
    hostWhitelist = List.copyOf(hostWhitelist);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(serverVersion, "serverVersion");
    Objects.requireNonNull(clusterVersion, "clusterVersion");
  }

  /** With the v2 API on, the only API this server has. */
  public HttpApiConfig(long maxRequestBytes, List<String> corsOrigins, Clock clock,
      String serverVersion, String clusterVersion, long requestTimeoutMillis) {
    this(maxRequestBytes, corsOrigins, clock, serverVersion, clusterVersion, requestTimeoutMillis,
        true, List.of("*"));
  }

  /** The values a stock etcd 3.4.23 uses. */
  public static HttpApiConfig defaults() {
    return new HttpApiConfig(DEFAULT_MAX_REQUEST_BYTES, List.of("*"), Clock.systemUTC(), "3.4.23",
        "3.4.0", DEFAULT_REQUEST_TIMEOUT_MILLIS);
  }

  public boolean corsAllowsAny() {
    return corsOrigins.contains("*");
  }
}
