package io.v2store.server.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the server needs from its command line, typed and already validated by
 * {@link ConfigLoader}. Defaults are etcd 3.4's, except {@code enableV2} (true here: this server
 * only speaks v2) and our own {@code historySize}. {@code unsafeNoFsync} is always false: the
 * flag is accepted for compatibility but a Raft log that does not fsync is not a Raft log.
 */
public record ServerConfig(
    String name,
    Path dataDir,
    Optional<Path> walDir,
    long snapshotCount,
    boolean snapshotsScale,
    long heartbeatIntervalMillis,
    long electionTimeoutMillis,
    List<URI> listenPeerUrls,
    List<URI> listenClientUrls,
    List<URI> initialAdvertisePeerUrls,
    List<URI> advertiseClientUrls,
    List<URI> listenMetricsUrls,
    Map<String, List<URI>> initialCluster,
    ClusterState initialClusterState,
    String initialClusterToken,
    long maxRequestBytes,
    boolean enableV2,
    boolean preVote,
    boolean initialElectionTickAdvance,
    boolean strictReconfigCheck,
    List<String> cors,
    List<String> hostWhitelist,
    String logLevel,
    boolean forceNewCluster,
    TlsFiles tls,
    TlsSettings tlsSettings,
    List<String> cipherSuites,
    boolean clientCertAuth,
    boolean peerClientCertAuth,
    int historySize,
    boolean leaseReads,
    boolean unsafeNoFsync,
    Optional<URI> discovery,
    Optional<InetSocketAddress> discoveryProxy,
    Optional<SrvDomain> discoverySrv,
    ProxySettings proxy,
    List<URI> importFrom) {

    public static final long DEFAULT_SNAPSHOT_COUNT = 100_000;
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MILLIS = 100;
    public static final long DEFAULT_ELECTION_TIMEOUT_MILLIS = 1000;
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1_572_864;
    public static final int DEFAULT_HISTORY_SIZE = 1000;

    public ServerConfig {
        Objects.requireNonNull(name);
        Objects.requireNonNull(dataDir);
        Objects.requireNonNull(walDir);
        listenPeerUrls = List.copyOf(listenPeerUrls);
        listenClientUrls = List.copyOf(listenClientUrls);
        initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        listenMetricsUrls = List.copyOf(listenMetricsUrls);
        Map<String, List<URI>> cluster = new LinkedHashMap<>();
        initialCluster.forEach((member, urls) -> cluster.put(member, List.copyOf(urls)));
        initialCluster = Collections.unmodifiableMap(cluster);
        Objects.requireNonNull(initialClusterState);
        Objects.requireNonNull(initialClusterToken);
        cors = List.copyOf(cors);
        hostWhitelist = List.copyOf(hostWhitelist);
        Objects.requireNonNull(logLevel);
        Objects.requireNonNull(tls);
        Objects.requireNonNull(tlsSettings);
        cipherSuites = List.copyOf(cipherSuites);
        Objects.requireNonNull(discovery);
        Objects.requireNonNull(discoverySrv);
        Objects.requireNonNull(discoveryProxy);
        Objects.requireNonNull(proxy);
        importFrom = List.copyOf(importFrom);
        if (heartbeatIntervalMillis <= 0 || electionTimeoutMillis < 5 * heartbeatIntervalMillis) {
            throw new IllegalArgumentException("election timeout must be at least 5 heartbeat intervals");
        }
        if (historySize <= 0) {
            throw new IllegalArgumentException("historySize must be positive: " + historySize);
        }
        if (unsafeNoFsync) {
            throw new IllegalArgumentException("unsafeNoFsync is never enabled");
        }
        if (!proxy.on() && !initialCluster.containsKey(name)) {
            throw new IllegalArgumentException("member " + name + " is not in the initial cluster");
        }
    }

    /**
     * The same with the initial cluster that discovery found (this member's own entry, its
     * registration, is what --initial-cluster defaulted to).
     */
    public ServerConfig withInitialCluster(Map<String, List<URI>> discovered) {
        return new ServerConfig(name, dataDir, walDir, snapshotCount, snapshotsScale,
            heartbeatIntervalMillis,
            electionTimeoutMillis, listenPeerUrls, listenClientUrls, initialAdvertisePeerUrls,
            advertiseClientUrls, listenMetricsUrls, discovered, initialClusterState,
            initialClusterToken, maxRequestBytes, enableV2, preVote, initialElectionTickAdvance,
            strictReconfigCheck, cors,
            hostWhitelist, logLevel, forceNewCluster, tls, tlsSettings, cipherSuites, clientCertAuth, peerClientCertAuth, historySize,
            leaseReads, unsafeNoFsync, Optional.empty(), discoveryProxy, Optional.empty(), proxy,
            importFrom);
    }

    /** The cluster id and every initial member's id, derived as etcd does. */
    public ClusterIds clusterIds() {
        return ClusterIds.of(initialCluster, initialClusterToken);
    }

    /** This member's id (from the initial cluster and token). */
    public long memberId() {
        return clusterIds().memberId(name);
    }

    /** True when CORS headers go on every response ({@code *} or an empty list). */
    public boolean corsAllowsAll() {
        return cors.isEmpty() || cors.contains("*");
    }
}
