package io.v2store.server.config;

/**
 * etcd's --proxy flags. on: this process is no member but forwards clients to the members it
 * learns from the initial cluster's peer URLs (their GET /members), as etcd's v2 proxy does;
 * readonly (--proxy readonly, on as well) lets only GETs through.
 * discoveryFallback: a member that --discovery finds the cluster full for becomes such a proxy
 * (--discovery-fallback=proxy, etcd's default) rather than exit. The timings apply to either;
 * the read and write timeouts bound each read and write on a connection to a member (0: none),
 * as etcd's proxy's connections have them.
 */
public record ProxySettings(boolean on, boolean readonly, boolean discoveryFallback,
    long failureWaitMillis, long refreshIntervalMillis, long dialTimeoutMillis,
    long readTimeoutMillis, long writeTimeoutMillis) {

    public static final ProxySettings OFF =
        new ProxySettings(false, false, true, 5_000, 30_000, 1_000, 0, 5_000);

    /**
     * --proxy-dial-timeout as Netty's and the JDK's connect timeouts take it: 0 is no timeout, as
     * for etcd's dialer (Go's zero Timeout), and not a dial that gives up after a millisecond,
     * which failed every member farther away than that.
     */
    public int dialTimeout() {
        return dialTimeoutMillis < 0 || dialTimeoutMillis > Integer.MAX_VALUE
            ? Integer.MAX_VALUE : (int) dialTimeoutMillis;
    }
}
