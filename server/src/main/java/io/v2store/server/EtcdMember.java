package io.v2store.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.v2store.http.HttpApiConfig;
import io.v2store.http.HttpApiServer;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.SnapshotTemporarilyUnavailableException;
import io.v2store.raft.driver.DriverConfig;
import io.v2store.raft.driver.RaftDriver;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.server.config.ServerConfig;
import io.v2store.storage.log.RocksDbLog;
import io.v2store.storage.store.KeySpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One running member: the composition root that opens the log, recovers the key space, starts
 * the Raft driver and serves HTTP. Everything is built here and nowhere else.
 */
public final class EtcdMember implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("etcd");
  /** etcd keeps this many entries after a snapshot so slow followers catch up from the log. */
  private static final long CATCH_UP_ENTRIES = 5_000;
  private static final int APPLY_BACKLOG_BATCHES = 1_024;
  private static final long EXPIRY_CHECK_MILLIS = 500;

  private final RocksDbLog log;
  private final RaftDriver driver;
  private final ExpiryTicker expiry;
  private final HttpApiServer http;
  private final PendingWrites pending;

  private EtcdMember(RocksDbLog log, RaftDriver driver, ExpiryTicker expiry, HttpApiServer http,
      PendingWrites pending) {
    this.log = log;
    this.driver = driver;
    this.expiry = expiry;
    this.http = http;
    this.pending = pending;
  }

  public static EtcdMember start(ServerConfig config, Consumer<Throwable> onFatal)
      throws Exception {
    Clock clock = Clock.systemUTC();
    long startMillis = clock.millis();
    ClusterLayout layout = ClusterLayout.of(config);
    String name = config.name();

    Path raftDir = config.dataDir().resolve("member").resolve("raft");
    Files.createDirectories(raftDir);
    RocksDbLog log = RocksDbLog.open(raftDir);
    boolean fresh = log.lastIndex() == 0 && log.initialState().hardState().getTerm() == 0;

    KeySpace keySpace = new KeySpace(config.historySize());
    PendingWrites pending = new PendingWrites();
    Members members = new Members(layout.selfId(), layout.initialMembers());
    V2StateMachine stateMachine = new V2StateMachine(keySpace, pending, members);

    if (fresh) {
      // The initial voters are recorded as a snapshot at index 0, the way etcd's raft tests seed
      // a storage: the core reads its configuration from the log on every start, first included.
      log.createSnapshot(0, layout.initialConfState(), stateMachine.snapshot());
      LOG.info(() -> name + ": starting a new member " + Long.toHexString(layout.selfId())
          + " in cluster " + Long.toHexString(layout.clusterId()));
    }
    long snapshotIndex = 0;
    ConfState confState = log.initialState().confState();
    try {
      Snapshot snapshot = log.snapshot();
      snapshotIndex = snapshot.getMetadata().getIndex();
      confState = snapshot.getMetadata().getConfState();
      stateMachine.restore(snapshot);
    } catch (SnapshotTemporarilyUnavailableException none) {
      // nothing to restore from: the whole state is in the log
    }
    final long recoveredAt = snapshotIndex;
    LOG.info(() -> name + ": recovered snapshot at index " + recoveredAt + ", log to "
        + log.lastIndex());

    long heartbeatMillis = config.heartbeatIntervalMillis();
    int electionTicks = (int) Math.max(2, config.electionTimeoutMillis() / heartbeatMillis);
    RaftConfig raftConfig = new RaftConfig(layout.selfId(), electionTicks, 1, true, true,
        1 << 20, 256, 32L << 20, snapshotIndex, layout.selfId() ^ System.nanoTime());
    RawNode node = new RawNode(raftConfig, log);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LeaderTracker leader = new LeaderTracker(startMillis);
    MemberMetrics metrics = new MemberMetrics(name, registry, keySpace, pending, leader, onFatal);
    DriverConfig driverConfig = new DriverConfig(heartbeatMillis, config.snapshotCount(),
        CATCH_UP_ENTRIES, APPLY_BACKLOG_BATCHES);
    RaftDriver driver = new RaftDriver(name, node, log, messages -> { }, stateMachine,
        snapshotIndex, confState, driverConfig, metrics);
    driver.start();
    if (confState.getVotersList().equals(List.of(layout.selfId()))) {
      driver.campaign(); // alone: no reason to wait an election timeout
    }

    ExpiryTicker expiry = new ExpiryTicker(name, driver, keySpace, clock);
    expiry.start(EXPIRY_CHECK_MILLIS);

    // etcd's request timeout: 5 s plus two election timeouts.
    long requestTimeoutMillis = 5_000 + 2 * config.electionTimeoutMillis();
    RaftMemberBackend backend = new RaftMemberBackend(name, layout.clusterId(), keySpace, driver,
        pending, new RequestIds(layout.selfId(), startMillis), members, requestTimeoutMillis,
        startMillis, leader);
    HttpApiConfig httpConfig = new HttpApiConfig(config.maxRequestBytes(), config.cors(), clock,
        Version.SERVER, Version.CLUSTER, requestTimeoutMillis);
    HttpApiServer http = new HttpApiServer(httpConfig, backend, registry);
    http.start(config.listenClientUrls(), config.listenMetricsUrls());
    LOG.info(() -> name + ": serving clients on " + http.boundAddresses());
    return new EtcdMember(log, driver, expiry, http, pending);
  }

  /** Stops serving, then stops Raft, then closes the log: nothing acknowledged is lost. */
  @Override
  public void close() {
    http.close();
    expiry.close();
    driver.close();
    pending.failAll(new IllegalStateException("member stopped"));
    log.close();
  }
}
