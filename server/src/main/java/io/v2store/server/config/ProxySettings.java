package io.v2store.server.config;

/**
 * etcd's --proxy flags. on: this process is no member but forwards clients to the members it
 * learns from the initial cluster's peer URLs (their GET /members), as etcd's v2 proxy does.
 */
public record ProxySettings(boolean on, long failureWaitMillis, long refreshIntervalMillis,
    long dialTimeoutMillis) {

    public static final ProxySettings OFF = new ProxySettings(false, 5_000, 30_000, 1_000);
}
