package io.v2store.server.config;

import java.util.Objects;

/**
 * --discovery-srv and --discovery-srv-name: the domain whose {@code _etcd-server-ssl._tcp} and
 * {@code _etcd-server._tcp} SRV records name the initial members, and the suffix etcd appends to
 * those service names ({@code _etcd-server-<name>._tcp}) when one domain holds several clusters.
 */
public record SrvDomain(String domain, String serviceName) {
    public SrvDomain {
        Objects.requireNonNull(domain);
        Objects.requireNonNull(serviceName);
    }

    /** etcd's service name: {@code etcd-server}, {@code -ssl} for https, then the suffix. */
    public String service(boolean tls) {
        String base = tls ? "etcd-server-ssl" : "etcd-server";
        return serviceName.isEmpty() ? base : base + "-" + serviceName;
    }
}
