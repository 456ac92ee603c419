package io.v2store.server.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns syntactically valid flag values (command line and environment merged) into a
 * {@link ServerConfig}, applying etcd's derived defaults and its cross-flag checks. Values
 * reaching here have already passed {@link FlagValues#problem}.
 */
final class ConfigBuilder {

    static final long MAX_ELECTION_TIMEOUT_MILLIS = 50_000;
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "panic", "fatal");

    /** A cross-flag check failed; etcd reports these with exit code 1. */
    static final class InvalidConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        /** Whether etcd prints the message alone rather than as a failed verification of flags. */
        private final boolean bare;

        InvalidConfigException(String message) {
            this(message, false);
        }

        InvalidConfigException(String message, boolean bare) {
            super(message);
            this.bare = bare;
        }

        boolean bare() {
            return bare;
        }
    }

    private final Map<String, String> values;
    /** Whether the values come from --config-file rather than flags and variables. */
    private final boolean fromConfigFile;
    private final List<String> warnings = new ArrayList<>();

    /** @param values every flag explicitly set (command line or environment) */
    ConfigBuilder(Map<String, String> values) {
        this(values, false);
    }

    /**
     * @param values every flag explicitly set (command line or environment), or every key the
     *     config file sets when {@code fromConfigFile}
     */
    ConfigBuilder(Map<String, String> values, boolean fromConfigFile) {
        this.values = Map.copyOf(values);
        this.fromConfigFile = fromConfigFile;
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    ServerConfig build() throws InvalidConfigException {
        warnAboutUnsupported();
        String name = text("name");
        // the catalog's default is etcd's help text "${name}.etcd", derived below
        String dataDir = values.getOrDefault("data-dir", "");
        String walDir = text("wal-dir");
        long heartbeat = FlagValues.parseUnsigned(text("heartbeat-interval"));
        long election = FlagValues.parseUnsigned(text("election-timeout"));
        checkTiming(heartbeat, election);

        ProxySettings proxy = proxy();
        // etcd's proxy advertises nothing: it is no member. A config file without
        // advertise-client-urls keeps etcd's default one (etcd drops the default only for flags).
        if (!proxy.on() && !fromConfigFile && values.containsKey("listen-client-urls")
            && !values.containsKey("advertise-client-urls")) {
            throw new InvalidConfigException(
                "--advertise-client-urls is required when --listen-client-urls is set explicitly");
        }
        List<URI> listenPeer = UrlList.parse(text("listen-peer-urls"));
        List<URI> listenClient = UrlList.parse(text("listen-client-urls"));
        List<URI> advertisePeer = UrlList.parse(text("initial-advertise-peer-urls"));
        List<URI> advertiseClient = UrlList.parse(text("advertise-client-urls"));
        requireNonEmpty(listenPeer, "listen-peer-urls");
        requireNonEmpty(listenClient, "listen-client-urls");
        requireNonEmpty(advertisePeer, "initial-advertise-peer-urls");

        Map<String, List<URI>> cluster = initialCluster(name, advertisePeer);
        ClusterState state = ClusterState.valueOf(text("initial-cluster-state").toUpperCase(java.util.Locale.ROOT));
        Path dataDirPath = Path.of(dataDir.isEmpty() ? name + ".etcd" : dataDir);
        // As etcd's, the initial cluster only bootstraps a member: one whose data dir holds it
        // already restarts as that member whatever its URLs in --initial-cluster say now (a
        // member moved with `member update` restarts on its new peer URLs with the old list).
        if (!proxy.on() && !holdsMember(dataDirPath)) {
            checkMembership(name, advertisePeer, cluster, state);
            // etcd's VerifyJoinExisting: a join learns the cluster from its members, and the
            // list --discovery leaves (this member alone) names none to ask.
            if (state == ClusterState.EXISTING && !text("discovery").isEmpty()) {
                throw new InvalidConfigException(
                    "discovery URL should not be set when joining existing initial cluster");
            }
        }

        long historySize = FlagValues.parseUnsigned(text("history-size"));
        if (historySize <= 0 || historySize > Integer.MAX_VALUE) {
            throw new InvalidConfigException("--history-size must be between 1 and " + Integer.MAX_VALUE
                + " (set to " + Long.toUnsignedString(historySize) + ")");
        }
        long maxRequestBytes = uint("max-request-bytes");
        if (maxRequestBytes == 0) {
            throw new InvalidConfigException("--max-request-bytes must be between 1 and " + Integer.MAX_VALUE
                + " (set to 0)");
        }
        // etcd takes any uint64 here (its v2 API ignores it); a body is held whole, so a larger
        // value allows the most there is to allow rather than refuse to start
        maxRequestBytes = Math.min(maxRequestBytes, Integer.MAX_VALUE);
        long snapshotCount = uint("snapshot-count");
        if (snapshotCount == 0) {
            // etcd's server replaces a zero snapshot count by its default
            snapshotCount = ServerConfig.DEFAULT_SNAPSHOT_COUNT;
        }

        Optional<URI> discovery = discovery();
        return new ServerConfig(
            name,
            dataDirPath,
            walDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(walDir)),
            snapshotCount,
            bool("snapshot-scales"),
            heartbeat,
            election,
            listenPeer,
            listenClient,
            advertisePeer,
            advertiseClient,
            UrlList.parse(text("listen-metrics-urls")),
            cluster,
            state,
            // As etcd's PeerURLsMapAndToken: with --discovery the discovery URL is the token, so
            // that ids equal etcd's and clusters bootstrapped through two directories differ.
            discovery.isPresent() ? text("discovery") : text("initial-cluster-token"),
            maxRequestBytes,
            bool("enable-v2"),
            bool("pre-vote"),
            bool("initial-election-tick-advance"),
            bool("strict-reconfig-check"),
            cors(),
            hostWhitelist(),
            logLevel(),
            bool("force-new-cluster"),
            tlsFiles(),
            tlsSettings(),
            CipherSuites.parse(text("cipher-suites")),
            bool("client-cert-auth"),
            bool("peer-client-cert-auth"),
            (int) historySize,
            bool("lease-reads"),
            false,
            discovery,
            discoveryProxy(),
            discoverySrv(),
            proxy,
            importFrom(cluster, state));
    }

    /**
     * --import-from: where a new member's keys come from, comma-separated: an etcd v2 cluster's
     * client URL, such a URL with a key path (a hidden directory), or a file holding a saved
     * answer. A cluster of one only: the others join it afterwards (member add) and get the keys
     * by snapshot, so no two members could ever have read different keys.
     */
    private List<URI> importFrom(Map<String, List<URI>> cluster, ClusterState state)
            throws InvalidConfigException {
        String raw = text("import-from");
        if (raw.isEmpty()) {
            return List.of();
        }
        List<URI> sources = new java.util.ArrayList<>();
        for (String one : raw.split(",")) {
            String source = one.trim();
            try {
                URI url = source.contains("://") ? new URI(source)
                    : Path.of(source).toAbsolutePath().toUri();
                boolean web = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
                String path = url.getRawPath() == null ? "" : url.getRawPath();
                if (!(web && url.getRawAuthority() != null && (path.isEmpty() || path.equals("/")
                        || path.startsWith("/v2/keys/")) || "file".equals(url.getScheme()))) {
                    throw new URISyntaxException(source, "not an http(s) URL");
                }
                sources.add(url);
            } catch (URISyntaxException | java.nio.file.InvalidPathException e) {
                throw new InvalidConfigException("--import-from: neither a client URL, a keys"
                    + " URL (/v2/keys/...) nor a file: " + source);
            }
        }
        if (state != ClusterState.NEW || cluster.size() != 1 || !text("discovery").isEmpty()
            || !text("discovery-srv").isEmpty()) {
            throw new InvalidConfigException("--import-from starts a new cluster of one member"
                + " (--initial-cluster-state new, one member in --initial-cluster, no discovery);"
                + " add the other members afterwards");
        }
        return sources;
    }

    /**
     * --discovery: an http(s) URL naming the discovery directory. As etcd, it replaces the
     * default --initial-cluster and cannot be given with an explicit one.
     */
    private Optional<URI> discovery() throws InvalidConfigException {
        String raw = text("discovery");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        if (!values.getOrDefault("initial-cluster", "").isEmpty() || !text("discovery-srv").isEmpty()) {
            throw conflictingBootstrap();
        }
        try {
            URI url = new URI(raw);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getRawAuthority() == null) {
                throw new URISyntaxException(raw, "not an http(s) URL");
            }
            return Optional.of(url);
        } catch (URISyntaxException e) {
            throw new InvalidConfigException("--discovery: invalid URL " + raw);
        }
    }

    /**
     * --discovery-proxy: an HTTP proxy for the discovery service's requests, read as etcd reads it
     * (a bare host:port is taken as http://host:port). Only plain http proxies: the JDK's client
     * speaks to a proxy in clear (https discovery URLs still go through it, tunnelled).
     */
    private Optional<InetSocketAddress> discoveryProxy() throws InvalidConfigException {
        String raw = text("discovery-proxy");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        URI url;
        try {
            url = new URI(raw);
            if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
                url = new URI("http://" + raw);
            }
        } catch (URISyntaxException e) {
            try {
                url = new URI("http://" + raw);
            } catch (URISyntaxException again) {
                throw new InvalidConfigException("invalid proxy address \"" + raw + "\": " + e.getMessage());
            }
        }
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new InvalidConfigException("invalid proxy address \"" + raw
                + "\": only http:// proxies are supported by this server");
        }
        return Optional.of(InetSocketAddress.createUnresolved(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()));
    }

    /**
     * --discovery-srv: the initial cluster comes from the domain's SRV records when the member
     * starts (see SrvCluster); like --discovery, it replaces the default --initial-cluster.
     */
    private Optional<SrvDomain> discoverySrv() throws InvalidConfigException {
        String domain = text("discovery-srv");
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        if (!values.getOrDefault("initial-cluster", "").isEmpty()) {
            throw conflictingBootstrap();
        }
        return Optional.of(new SrvDomain(domain, text("discovery-srv-name")));
    }

    private static InvalidConfigException conflictingBootstrap() {
        return new InvalidConfigException("multiple discovery or bootstrap flags are set. Choose one of "
            + "\"initial-cluster\", \"discovery\" or \"discovery-srv\"");
    }

    /**
     * --proxy on: no member, a forwarder (see ClientProxy); readonly: the same, for GETs only.
     */
    private ProxySettings proxy() throws InvalidConfigException {
        String mode = text("proxy");
        return new ProxySettings(!mode.equals("off"), mode.equals("readonly"),
            !"exit".equals(text("discovery-fallback")),
            FlagValues.parseUnsigned(text("proxy-failure-wait")),
            FlagValues.parseUnsigned(text("proxy-refresh-interval")),
            FlagValues.parseUnsigned(text("proxy-dial-timeout")),
            FlagValues.parseUnsigned(text("proxy-read-timeout")),
            FlagValues.parseUnsigned(text("proxy-write-timeout")));
    }

    private String text(String flag) {
        String value = values.get(flag);
        return value != null ? value : FlagCatalog.get(flag).defaultValue();
    }

    /**
     * A Go uint64 flag's value, those beyond a Java long taken as the largest one (etcd's
     * 18446744073709551615 snapshot count, never reached, stays never reached).
     */
    private long uint(String flag) {
        long value = FlagValues.parseUnsigned(text(flag));
        return value < 0 ? Long.MAX_VALUE : value;
    }

    private boolean bool(String flag) {
        return FlagValues.parseBool(text(flag));
    }

    private void warnAboutUnsupported() {
        for (FlagSpec spec : FlagCatalog.byName().values()) {
            if (!values.containsKey(spec.name())) {
                continue;
            }
            if (spec.support() == Support.LEGACY_IGNORED) {
                warnings.add("flag \"-" + spec.name() + "\" is no longer supported - ignoring.");
            } else if (spec.support() == Support.NOT_IMPLEMENTED) {
                warnings.add("flag --" + spec.name() + "=" + values.get(spec.name())
                    + " is accepted but not implemented by this server; ignoring it");
            }
        }
    }

    private static void checkTiming(long heartbeat, long election) throws InvalidConfigException {
        if (heartbeat == 0) {
            throw new InvalidConfigException("--heartbeat-interval must be >0 (set to 0ms)");
        }
        if (election == 0) {
            throw new InvalidConfigException("--election-timeout must be >0 (set to 0ms)");
        }
        // Go's uint arithmetic, as etcd's check; a heartbeat so long that five of it wrap around
        // is still refused here
        if (Long.compareUnsigned(election, 5 * heartbeat) < 0 || Long.compareUnsigned(election, heartbeat) < 0) {
            throw new InvalidConfigException("--election-timeout[" + Long.toUnsignedString(election)
                + "ms] should be at least as 5 times as --heartbeat-interval["
                + Long.toUnsignedString(heartbeat) + "ms]");
        }
        if (Long.compareUnsigned(election, MAX_ELECTION_TIMEOUT_MILLIS) > 0) {
            throw new InvalidConfigException("--election-timeout[" + Long.toUnsignedString(election)
                + "ms] is too long, and should be set less than " + MAX_ELECTION_TIMEOUT_MILLIS + "ms");
        }
    }

    private static void requireNonEmpty(List<URI> urls, String flag) throws InvalidConfigException {
        if (urls.isEmpty()) {
            throw new InvalidConfigException("--" + flag + " must list at least one URL");
        }
    }

    /** Not given: etcd's default becomes {@code <name>=<each initial advertise peer URL>}. */
    private Map<String, List<URI>> initialCluster(String name, List<URI> advertisePeer)
        throws InvalidConfigException {
        // As etcd's, a bootstrap flag counts only when not empty: an empty --initial-cluster
        // next to --discovery or --discovery-srv leaves them this member's own entry.
        boolean discovers = !text("discovery").isEmpty() || !text("discovery-srv").isEmpty();
        if (!values.containsKey("initial-cluster") || values.get("initial-cluster").isEmpty() && discovers) {
            // etcd's InitialClusterFromName: an empty --name still yields "default=...", so a
            // start with --name= (an unset shell variable) is refused below, as etcd refuses it.
            return Map.of(name.isEmpty() ? "default" : name, advertisePeer);
        }
        try {
            return InitialCluster.parse(values.get("initial-cluster"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("error setting up initial cluster: " + e.getMessage());
        }
    }

    /** The server's mark of a data dir that holds a member (its identity, see MemberIdentity). */
    private static boolean holdsMember(Path dataDir) {
        return java.nio.file.Files.exists(dataDir.resolve("member").resolve("identity"));
    }

    private static void checkMembership(String name, List<URI> advertisePeer, Map<String, List<URI>> cluster,
                                        ClusterState state) throws InvalidConfigException {
        List<URI> own = cluster.get(name);
        if (own == null) {
            throw new InvalidConfigException("couldn't find local name \"" + name
                + "\" in the initial cluster configuration");
        }
        Set<String> seen = new HashSet<>();
        for (List<URI> urls : cluster.values()) {
            for (URI url : urls) {
                if (!seen.add(url.toString())) {
                    throw new InvalidConfigException("initial cluster " + InitialCluster.format(cluster)
                        + " has duplicate url");
                }
            }
        }
        if (state == ClusterState.NEW && !UrlList.strings(own).equals(UrlList.strings(advertisePeer))) {
            throw new InvalidConfigException("--initial-cluster has " + name + "="
                + String.join(",", UrlList.strings(own)) + " but missing from --initial-advertise-peer-urls="
                + String.join(",", UrlList.strings(advertisePeer)));
        }
        try {
            ClusterIds.of(cluster, "");
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("error setting up initial cluster: " + e.getMessage());
        }
    }

    private List<String> cors() {
        String raw = text("cors");
        if (raw.equals("*")) {
            return List.of("*");
        }
        return UrlList.strings(UrlList.parse(raw));
    }

    /** Comma-separated, as etcd's; "*" (the default) or nothing answers every Host. */
    private List<String> hostWhitelist() {
        List<String> hosts = new ArrayList<>();
        for (String h : text("host-whitelist").split(",")) {
            if (!h.strip().isEmpty()) hosts.add(h.strip());
        }
        return hosts;
    }

    private String logLevel() throws InvalidConfigException {
        if (bool("debug")) {
            return "debug";
        }
        String level = text("log-level");
        if (!LOG_LEVELS.contains(level)) {
            throw new InvalidConfigException("unknown log-level \"" + level
                + "\" (only supports debug, info, warn, error, panic, or fatal)");
        }
        return level;
    }

    private TlsSettings tlsSettings() {
        return new TlsSettings(optionalText("client-cert-allowed-hostname"),
            optionalText("peer-cert-allowed-cn"), optionalText("peer-cert-allowed-hostname"),
            bool("experimental-peer-skip-client-san-verification"), bool("auto-tls"),
            bool("peer-auto-tls"));
    }

    private Optional<String> optionalText(String flag) {
        String value = text(flag);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private TlsFiles tlsFiles() {
        Map<String, Optional<Path>> paths = new HashMap<>();
        for (String flag : List.of("cert-file", "key-file", "trusted-ca-file", "client-crl-file",
            "peer-cert-file", "peer-key-file", "peer-trusted-ca-file", "peer-crl-file")) {
            String value = text(flag);
            paths.put(flag, value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value)));
        }
        return new TlsFiles(paths.get("cert-file"), paths.get("key-file"), paths.get("trusted-ca-file"),
            paths.get("client-crl-file"), paths.get("peer-cert-file"), paths.get("peer-key-file"),
            paths.get("peer-trusted-ca-file"), paths.get("peer-crl-file"));
    }
}
