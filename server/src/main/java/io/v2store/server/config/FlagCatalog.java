package io.v2store.server.config;

import static io.v2store.server.config.FlagKind.BOOL;
import static io.v2store.server.config.FlagKind.CHOICE;
import static io.v2store.server.config.FlagKind.DURATION;
import static io.v2store.server.config.FlagKind.IGNORED;
import static io.v2store.server.config.FlagKind.INT;
import static io.v2store.server.config.FlagKind.STRING;
import static io.v2store.server.config.FlagKind.STRINGS;
import static io.v2store.server.config.FlagKind.UINT;
import static io.v2store.server.config.FlagKind.UINT32;
import static io.v2store.server.config.FlagKind.URLS;
import static io.v2store.server.config.FlagKind.URLS_OR_STAR;
import static io.v2store.server.config.Support.IMPLEMENTED;
import static io.v2store.server.config.Support.LEGACY_IGNORED;
import static io.v2store.server.config.Support.NOT_IMPLEMENTED;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every flag etcd 3.4.23 registers (checked against the binary: each name below is accepted by
 * {@code /usr/bin/etcd}, and its kind is the one the binary parses), plus our {@code --history-size},
 * {@code --lease-reads}, {@code --snapshot-scales} and {@code --import-from}.
 * Defaults are written as etcd's --help prints them.
 */
public final class FlagCatalog {

    private static final List<FlagGroup> GROUPS = List.of(
        new FlagGroup("Member", List.of(
            f("name", STRING, "default", IMPLEMENTED, "Human-readable name for this member."),
            f("data-dir", STRING, "${name}.etcd", IMPLEMENTED, "Path to the data directory."),
            f("wal-dir", STRING, "", IMPLEMENTED, "Path to the dedicated wal directory."),
            f("snapshot-count", UINT, "100000", IMPLEMENTED, "Number of committed transactions to trigger a snapshot to disk."),
            f("heartbeat-interval", UINT, "100", IMPLEMENTED, "Time (in milliseconds) of a heartbeat interval."),
            f("election-timeout", UINT, "1000", IMPLEMENTED, "Time (in milliseconds) for an election to timeout."),
            f("initial-election-tick-advance", BOOL, "true", IMPLEMENTED, "Whether to fast-forward initial election ticks on boot for faster election."),
            f("listen-peer-urls", URLS, "http://localhost:2380", IMPLEMENTED, "List of URLs to listen on for peer traffic."),
            f("listen-client-urls", URLS, "http://localhost:2379", IMPLEMENTED, "List of URLs to listen on for client traffic."),
            f("max-snapshots", UINT, "5", NOT_IMPLEMENTED, "Maximum number of snapshot files to retain (0 is unlimited)."),
            f("max-wals", UINT, "5", NOT_IMPLEMENTED, "Maximum number of wal files to retain (0 is unlimited)."),
            f("quota-backend-bytes", INT, "0", NOT_IMPLEMENTED, "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota)."),
            f("backend-batch-interval", DURATION, "", NOT_IMPLEMENTED, "BackendBatchInterval is the maximum time before commit the backend transaction."),
            f("backend-batch-limit", INT, "0", NOT_IMPLEMENTED, "BackendBatchLimit is the maximum operations before commit the backend transaction."),
            f("max-txn-ops", UINT, "128", NOT_IMPLEMENTED, "Maximum number of operations permitted in a transaction."),
            f("max-request-bytes", UINT, "1572864", IMPLEMENTED, "Maximum client request size in bytes the server will accept."),
            f("max-concurrent-streams", UINT32, "math.MaxUint32", NOT_IMPLEMENTED, "Maximum concurrent streams that each client can open at a time."),
            f("grpc-keepalive-min-time", DURATION, "5s", NOT_IMPLEMENTED, "Minimum duration interval that a client should wait before pinging server."),
            f("grpc-keepalive-interval", DURATION, "2h", NOT_IMPLEMENTED, "Frequency duration of server-to-client ping to check if a connection is alive (0 to disable)."),
            f("grpc-keepalive-timeout", DURATION, "20s", NOT_IMPLEMENTED, "Additional duration of wait before closing a non-responsive connection (0 to disable)."),
            f("history-size", UINT, "1000", IMPLEMENTED, "Number of events kept for watchers (v2store addition; etcd has a fixed 1000)."),
            f("snapshot-scales", BOOL, "true", IMPLEMENTED, "Take a snapshot only once the entries applied since the last add up to its size, besides --snapshot-count of them, the members taking turns (v2store addition; false snapshots every --snapshot-count entries, every member at the same index, as etcd)."),
            f("lease-reads", BOOL, "true", IMPLEMENTED, "Answer quorum=true reads on a leader whose lease holds without a heartbeat round (v2store addition; false confirms leadership with a heartbeat round for every batch of reads)."))),
        new FlagGroup("Clustering", List.of(
            f("initial-advertise-peer-urls", URLS, "http://localhost:2380", IMPLEMENTED, "List of this member's peer URLs to advertise to the rest of the cluster."),
            f("initial-cluster", STRING, "default=http://localhost:2380", IMPLEMENTED, "Initial cluster configuration for bootstrapping."),
            choice("initial-cluster-state", "new", IMPLEMENTED, List.of("new", "existing"), "Initial cluster state ('new' or 'existing')."),
            f("initial-cluster-token", STRING, "etcd-cluster", IMPLEMENTED, "Initial cluster token for the etcd cluster during bootstrap."),
            f("advertise-client-urls", URLS, "http://localhost:2379", IMPLEMENTED, "List of this member's client URLs to advertise to the public."),
            f("discovery", STRING, "", IMPLEMENTED, "Discovery URL used to bootstrap the cluster."),
            f("import-from", STRING, "", IMPLEMENTED, "Where a new one-member cluster's keys come from, comma-separated: an etcd v2 cluster's client URL (user:password@ for v2 auth; fleet's hidden /_coreos.com is read too), a keys URL for another hidden directory (URL/v2/keys/_name), or a file holding an answer saved with curl -si; indexes and TTLs are kept (v2store addition; read once, at the member's first start)."),
            choice("discovery-fallback", "proxy", IMPLEMENTED, List.of("proxy", "exit"), "Expected behavior ('exit' or 'proxy') when discovery services fails."),
            f("discovery-proxy", STRING, "", IMPLEMENTED, "HTTP proxy to use for traffic to discovery service."),
            f("discovery-srv", STRING, "", IMPLEMENTED, "DNS srv domain used to bootstrap the cluster."),
            f("discovery-srv-name", STRING, "", IMPLEMENTED, "Suffix to the dns srv name queried when bootstrapping."),
            f("strict-reconfig-check", BOOL, "true", IMPLEMENTED, "Reject reconfiguration requests that would cause quorum loss."),
            f("pre-vote", BOOL, "true", IMPLEMENTED, "Enable to run an additional Raft election phase (etcd defaults to false; =false is etcd's way)."),
            f("auto-compaction-retention", STRING, "0", NOT_IMPLEMENTED, "Auto compaction retention length. 0 means disable auto compaction."),
            f("auto-compaction-mode", STRING, "periodic", NOT_IMPLEMENTED, "Interpret 'auto-compaction-retention' one of: periodic|revision."),
            f("enable-v2", BOOL, "true", IMPLEMENTED, "Accept etcd V2 client requests (etcd defaults to false; this server serves only v2)."))),
        new FlagGroup("Security", List.of(
            f("cert-file", STRING, "", IMPLEMENTED, "Path to the client server TLS cert file."),
            f("key-file", STRING, "", IMPLEMENTED, "Path to the client server TLS key file."),
            f("client-cert-auth", BOOL, "false", IMPLEMENTED, "Enable client cert authentication."),
            f("client-crl-file", STRING, "", IMPLEMENTED, "Path to the client certificate revocation list file."),
            f("client-cert-allowed-hostname", STRING, "", IMPLEMENTED, "Allowed TLS hostname for client cert authentication."),
            f("trusted-ca-file", STRING, "", IMPLEMENTED, "Path to the client server TLS trusted CA cert file."),
            f("auto-tls", BOOL, "false", IMPLEMENTED, "Client TLS using generated certificates."),
            f("peer-cert-file", STRING, "", IMPLEMENTED, "Path to the peer server TLS cert file."),
            f("peer-key-file", STRING, "", IMPLEMENTED, "Path to the peer server TLS key file."),
            f("peer-client-cert-auth", BOOL, "false", IMPLEMENTED, "Enable peer client cert authentication."),
            f("peer-trusted-ca-file", STRING, "", IMPLEMENTED, "Path to the peer server TLS trusted CA file."),
            f("peer-cert-allowed-cn", STRING, "", IMPLEMENTED, "Required CN for client certs connecting to the peer endpoint."),
            f("peer-cert-allowed-hostname", STRING, "", IMPLEMENTED, "Allowed TLS hostname for inter peer authentication."),
            f("peer-auto-tls", BOOL, "false", IMPLEMENTED, "Peer TLS using self-generated certificates if --peer-key-file and --peer-cert-file are not provided."),
            f("peer-crl-file", STRING, "", IMPLEMENTED, "Path to the peer certificate revocation list file."),
            f("cipher-suites", STRINGS, "", IMPLEMENTED, "Comma-separated list of supported TLS cipher suites between client/server and peers."),
            f("cors", URLS_OR_STAR, "*", IMPLEMENTED, "Comma-separated whitelist of origins for CORS, or cross-origin resource sharing, (empty or * means allow all)."),
            f("host-whitelist", STRINGS, "*", IMPLEMENTED, "Acceptable hostnames from HTTP client requests, if server is not secure (empty or * means allow all)."))),
        new FlagGroup("Auth", List.of(
            f("auth-token", STRING, "simple", NOT_IMPLEMENTED, "Specify a v3 authentication token type and its options ('simple' or 'jwt')."),
            f("bcrypt-cost", UINT, "10", NOT_IMPLEMENTED, "Specify the cost / strength of the bcrypt algorithm for hashing auth passwords."),
            f("auth-token-ttl", UINT, "300", NOT_IMPLEMENTED, "Time (in seconds) of the auth-token-ttl."))),
        new FlagGroup("Profiling and Monitoring", List.of(
            f("enable-pprof", BOOL, "false", NOT_IMPLEMENTED, "Enable runtime profiling data via HTTP server."),
            f("metrics", STRING, "basic", NOT_IMPLEMENTED, "Set level of detail for exported metrics, specify 'extensive' to include histogram metrics."),
            f("listen-metrics-urls", URLS, "", IMPLEMENTED, "List of URLs to listen on for the metrics and health endpoints."))),
        new FlagGroup("Logging", List.of(
            f("logger", STRING, "capnslog", NOT_IMPLEMENTED, "Specify 'zap' for structured logging or 'capnslog'."),
            f("log-outputs", STRINGS, "default", NOT_IMPLEMENTED, "Specify 'stdout' or 'stderr' to skip journald logging even when running under systemd."),
            f("log-output", STRINGS, "default", NOT_IMPLEMENTED, "DEPRECATED: use '--log-outputs'."),
            f("log-level", STRING, "info", IMPLEMENTED, "Configures log level. Only supports debug, info, warn, error, panic, or fatal."))),
        new FlagGroup("v2 Proxy (to be deprecated in v4)", List.of(
            choice("proxy", "off", IMPLEMENTED, List.of("off", "readonly", "on"), "Proxy mode setting ('off', 'readonly' or 'on')."),
            f("proxy-failure-wait", UINT, "5000", IMPLEMENTED, "Time (in milliseconds) an endpoint will be held in a failed state."),
            f("proxy-refresh-interval", UINT, "30000", IMPLEMENTED, "Time (in milliseconds) of the endpoints refresh interval."),
            f("proxy-dial-timeout", UINT, "1000", IMPLEMENTED, "Time (in milliseconds) for a dial to timeout."),
            f("proxy-write-timeout", UINT, "5000", IMPLEMENTED, "Time (in milliseconds) for a write to timeout."),
            f("proxy-read-timeout", UINT, "0", IMPLEMENTED, "Time (in milliseconds) for a read to timeout."))),
        new FlagGroup("gRPC", List.of(
            f("enable-grpc-gateway", BOOL, "true", NOT_IMPLEMENTED, "Enable GRPC gateway."))),
        new FlagGroup("Experimental feature", List.of(
            f("experimental-initial-corrupt-check", BOOL, "false", NOT_IMPLEMENTED, "Enable to check data corruption before serving any client/peer traffic."),
            f("experimental-corrupt-check-time", DURATION, "0s", NOT_IMPLEMENTED, "Duration of time between cluster corruption check passes."),
            f("experimental-enable-v2v3", STRING, "", NOT_IMPLEMENTED, "Serve v2 requests through the v3 backend under a given prefix."),
            f("experimental-backend-bbolt-freelist-type", STRING, "array", NOT_IMPLEMENTED, "ExperimentalBackendFreelistType specifies the type of freelist that boltdb backend uses."),
            f("experimental-enable-lease-checkpoint", BOOL, "false", NOT_IMPLEMENTED, "Enable to persist lease remaining TTL to prevent indefinite auto-renewal of long lived leases."),
            f("experimental-enable-lease-checkpoint-persist", BOOL, "false", NOT_IMPLEMENTED, "Enable persisting remainingTTL to prevent indefinite auto-renewal of long lived leases."),
            f("experimental-compaction-batch-limit", INT, "1000", NOT_IMPLEMENTED, "Sets the maximum revisions deleted in each compaction batch."),
            f("experimental-peer-skip-client-san-verification", BOOL, "false", IMPLEMENTED, "Skip verification of SAN field in client certificate for peer connections."),
            f("experimental-watch-progress-notify-interval", DURATION, "10m", NOT_IMPLEMENTED, "Duration of periodical watch progress notification."),
            f("experimental-warning-apply-duration", DURATION, "100ms", NOT_IMPLEMENTED, "Warning is generated if requests take more than this duration."))),
        new FlagGroup("Unsafe feature", List.of(
            f("force-new-cluster", BOOL, "false", IMPLEMENTED, "Force to create a new one-member cluster."),
            f("unsafe-no-fsync", BOOL, "false", NOT_IMPLEMENTED, "Disables fsync, unsafe, will cause data loss (refused here: the log always fsyncs)."))),
        new FlagGroup("Other", List.of(
            f("config-file", STRING, "", IMPLEMENTED, "Path to the server configuration file. Note that if a configuration file is provided, other command line flags and environment variables will be ignored."),
            f("version", BOOL, "false", IMPLEMENTED, "Print the version and exit."))),
        new FlagGroup("TO BE DEPRECATED", List.of(
            f("debug", BOOL, "false", IMPLEMENTED, "Enable debug-level logging for etcd. Use '--log-level=debug' instead."),
            f("log-package-levels", STRING, "", NOT_IMPLEMENTED, "Specify a particular log level for each etcd package."))),
        new FlagGroup("Accepted and ignored for backward compatibility", List.of(
            legacy("cluster-active-size"), legacy("cluster-remove-delay"), legacy("cluster-sync-interval"),
            legacy("config"), legacy("force"), legacy("max-result-buffer"), legacy("max-retry-attempts"),
            legacy("peer-heartbeat-interval"), legacy("peer-election-timeout"), legacy("retry-interval"),
            legacy("snapshot"), legacy("v"), legacy("vv"),
            legacy("test.coverprofile"), legacy("test.outputdir"))));

    private static final Map<String, FlagSpec> BY_NAME = index();

    private FlagCatalog() {
    }

    public static List<FlagGroup> groups() {
        return GROUPS;
    }

    /** All flags by name, in usage order. */
    public static Map<String, FlagSpec> byName() {
        return BY_NAME;
    }

    public static FlagSpec get(String name) {
        FlagSpec spec = BY_NAME.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no such flag: " + name);
        }
        return spec;
    }

    private static Map<String, FlagSpec> index() {
        Map<String, FlagSpec> map = new LinkedHashMap<>();
        for (FlagGroup group : GROUPS) {
            for (FlagSpec spec : group.flags()) {
                if (map.put(spec.name(), spec) != null) {
                    throw new IllegalStateException("flag listed twice: " + spec.name());
                }
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static FlagSpec f(String name, FlagKind kind, String def, Support support, String help) {
        return new FlagSpec(name, kind, def, support, List.of(), help);
    }

    private static FlagSpec choice(String name, String def, Support support, List<String> choices, String help) {
        return new FlagSpec(name, CHOICE, def, support, choices, help);
    }

    private static FlagSpec legacy(String name) {
        return new FlagSpec(name, IGNORED, "", LEGACY_IGNORED, List.of(), "Ignored (flag of etcd 0.4/2.x).");
    }
}
