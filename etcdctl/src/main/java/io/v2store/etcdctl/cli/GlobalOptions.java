package io.v2store.etcdctl.cli;

/**
 * The global flags as parsed, before endpoints are resolved (spec 13.1). {@code tlsServerName}: the
 * name servers' certificates must hold instead of their URLs' hosts (the --discovery-srv domain
 * unless --insecure-discovery, as Go etcdctl's ServerName), or empty.
 */
public record GlobalOptions(boolean debug, boolean noSync, String output, String endpoints, String endpoint,
                            String peers, String username, String timeout, String totalTimeout,
                            String certFile, String keyFile, String caFile, String tlsServerName) {
}
