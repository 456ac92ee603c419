package io.v2store.server;

import io.v2store.http.BoundListeners;
import io.v2store.http.ClientTls;
import io.v2store.http.HttpApiConfig;
import io.v2store.http.HttpApiServer;
import io.v2store.http.Member;
import io.v2store.http.MembershipException;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.SnapshotInput;
import io.v2store.raft.SnapshotTemporarilyUnavailableException;
import io.v2store.raft.driver.DriverConfig;
import io.v2store.raft.driver.RaftDriver;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.transport.PeerEvents;
import io.v2store.raft.transport.PeerTls;
import io.v2store.raft.transport.PeerTransport;
import io.v2store.raft.transport.TransportConfig;
import io.v2store.server.config.ClusterState;
import io.v2store.server.config.InitialCluster;
import io.v2store.server.config.ServerConfig;
import io.v2store.server.tls.ServerTls;
import io.v2store.storage.auth.AuthRecords;
import io.v2store.storage.log.RocksDbLog;
import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.EtcdException;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import io.v2store.raft.transport.JoinQuery;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.logging.Logger;

/**
 * One running member: the composition root that opens the log, recovers the state, starts Raft
 * and the peer transport, publishes this member's attributes and then serves clients. Everything
 * is built here and nowhere else.
 */
public final class EtcdMember implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("etcd");
  /** etcd keeps this many entries after a snapshot so slow followers catch up from the log. */
  private static final long CATCH_UP_ENTRIES = 5_000;
  private static final int APPLY_BACKLOG_BATCHES = 1_024;
  private static final long EXPIRY_CHECK_MILLIS = 500;
  private static final int JOIN_QUERY_TIMEOUT_MILLIS = 5_000;
  /** etcd's bootstrap timeout: how long a new member waits for each peer's word. */
  private static final int BOOTSTRAPPED_QUERY_TIMEOUT_MILLIS = 1_000;

  private final String name;
  private final RocksDbLog log;
  private final PeerTransport transport;
  private final RaftDriver driver;
  private final ExpiryTicker expiry;
  private final HttpApiServer http;
  private final Runnable answerWaitingAsStopped;
  private final LeaderHandOver handOver;
  private final DataDirLock lock;
  private final LiveBackups backups;

  private EtcdMember(String name, RocksDbLog log, PeerTransport transport, RaftDriver driver,
      ExpiryTicker expiry, HttpApiServer http, Runnable answerWaitingAsStopped,
      LeaderHandOver handOver, DataDirLock lock, LiveBackups backups) {
    this.name = name;
    this.log = log;
    this.transport = transport;
    this.driver = driver;
    this.expiry = expiry;
    this.http = http;
    this.answerWaitingAsStopped = answerWaitingAsStopped;
    this.handOver = handOver;
    this.lock = lock;
    this.backups = backups;
  }

  public static EtcdMember start(ServerConfig config, Consumer<Throwable> onFatal)
      throws Exception {
    ListenersFirst.check(config);
    // As etcd: the client and metrics listeners are bound before the data is read and accept
    // nothing until they are served (below); a connection meanwhile waits in the backlog.
    BoundListeners listeners = ListenersFirst.bindClients(config);
    try {
      EtcdDataDirException.refuseEtcds(config.dataDir(), config.walDir());
      // As etcd: the data dir, its member dir and a --wal-dir are made for this user alone.
      PrivateDirs.touch(config.dataDir());
      PrivateDirs.touch(config.dataDir().resolve("member"));
      if (config.walDir().isPresent()) PrivateDirs.touch(config.walDir().get());
      DataDirLock lock = DataDirLock.acquire(config.dataDir().resolve("member"), config.name());
      try {
        ServerConfig found = withSrvCluster(config);
        List<URI> peerUrls = found == config ? config.initialAdvertisePeerUrls()
            : found.initialCluster().values().stream().flatMap(List::stream).toList();
        Optional<String> peerServerName = config.discoverySrv().flatMap(srv ->
            SrvCluster.peerServerName(srv, peerUrls, config.tls().peerTrustedCaFile()));
        return start(found, peerServerName, onFatal, lock, listeners);
      } catch (Exception | Error e) {
        lock.close();
        throw e;
      }
    } catch (Exception | Error e) {
      listeners.close();
      throw e;
    }
  }

  /** @param peerServerName see {@link SrvCluster#peerServerName} */
  private static EtcdMember start(ServerConfig config, Optional<String> peerServerName,
      Consumer<Throwable> onFatal, DataDirLock lock, BoundListeners listeners) throws Exception {
    Clock clock = Clock.systemUTC();
    long startMillis = clock.millis();
    String name = config.name();
    // TLS files are read first: a bad certificate stops the start before any state is touched.
    Optional<ClientTls> clientTls = ServerTls.forClients(config);
    PeerTls peerTls = ServerTls.forPeers(config).withServerName(peerServerName);
    peerServerName.ifPresent(n -> LOG.info(() -> name + ": peers' certificates are checked "
        + "against " + n + " (https peers from SRV records, no --peer-trusted-ca-file), as etcd does"));
    Path memberDir = config.dataDir().resolve("member");
    Path raftDir = memberDir.resolve("raft");
    boolean joining = config.initialClusterState() == ClusterState.EXISTING
        && !Files.exists(memberDir.resolve(MemberIdentity.FILE));
    boolean initialized = Files.exists(memberDir.resolve(MemberIdentity.FILE));
    if (config.discovery().isPresent() && initialized) {
      LOG.warning(() -> name + ": discovery token ignored since a cluster has already been "
          + "initialized; this member's data dir says which");
    }
    if (!joining && !initialized && config.discovery().isEmpty()) {
      refuseIfBootstrapped(config, peerTls);
    }
    ClusterLayout layout = joining ? askToJoin(config, peerTls)
        : ClusterLayout.of(config.discovery().isPresent() && !initialized
            ? discover(config) : config);
    // --import-from reads the old cluster before this member writes anything: a failure leaves
    // the data dir as it was, and the next start, with the same flags or others, tries again.
    KeySpace keySpace = new KeySpace(config.historySize());
    boolean importing = !config.importFrom().isEmpty() && !joining;
    if (importing && !initialized) {
      importKeys(name, config.importFrom(), readImport(config.importFrom()), keySpace);
    }
    Files.createDirectories(raftDir);
    // The identity is recorded only once the log holds the initial membership (below): a first
    // start that stops before that leaves no identity, and the next one bootstraps again (joins,
    // discovers) instead of taking the flags alone for the membership.
    Optional<MemberIdentity> recorded = MemberIdentity.read(memberDir);
    MemberIdentity identity = recorded.orElse(
        new MemberIdentity(layout.selfId(), layout.clusterId()));
    if (identity.memberId() != layout.selfId()) {
      LOG.warning(() -> name + ": data dir belongs to member "
          + Long.toHexString(identity.memberId()) + "; the bootstrap flags are ignored");
    }
    long selfId = identity.memberId();
    long clusterId = identity.clusterId();
    // A recorded identity was written only once the log held the initial membership: without
    // the log, starting afresh under that identity would serve none of what it acknowledged.
    RocksDbLog log = recorded.isPresent() ? RocksDbLog.openExisting(raftDir, config.walDir())
        : RocksDbLog.open(raftDir, config.walDir());
    // From here on a failed start closes what it opened and started (StartedParts).
    StartedParts started = new StartedParts();
    started.add(log::close);
    try {
      boolean fresh = log.lastIndex() == 0 && log.initialState().hardState().getTerm() == 0;
      if (config.forceNewCluster() && !fresh) {
        ForceNewCluster.apply(name, log, selfId);
      }
      if (importing && initialized && fresh) {
        // a first start that stopped before its first snapshot: the import is still to be done
        importKeys(name, config.importFrom(), readImport(config.importFrom()), keySpace);
      } else if (!config.importFrom().isEmpty() && initialized) {
        LOG.warning(() -> name + ": --import-from ignored: this data dir already holds a member");
      }

      Pending<Event> writes = new Pending<>();
      Pending<Member> memberChanges = new Pending<>();
      Members members = new Members(selfId, layout.initialMembers());
      AuthRecords auth = new AuthRecords();
      PeerLinks peers = new PeerLinks(name, selfId,
          () -> onFatal.accept(new MemberRemovedException(name)));
      V2StateMachine stateMachine =
          new V2StateMachine(keySpace, writes, memberChanges, members, auth, peers,
              () -> ExpiryTicker.nowNanos(clock));

      // A recorded identity means the log holds the first start's membership already: a start
      // stopped before any peer answered (term 0) keeps it. The flags do not name it again: a
      // joining member's came from the cluster, and --discovery's or --discovery-srv's from the
      // service, where the flags now name this member alone. Only a first start's --import-from,
      // a new cluster of one, still writes it again, with the keys.
      if (fresh && (recorded.isEmpty() || importing)) {
        // The initial voters are recorded as a snapshot at index 0, the way etcd's raft tests seed
        // a storage: the core reads its configuration from the log on every start, first included.
        // A member joining an existing cluster is given the same list by --initial-cluster, which
        // names every current member (what `member add` prints).
        if (importing) {
          // The imported keys are not in the log, so they must not sit at index 0 either: every
          // member joining later holds an (empty) snapshot there, and would be sent the entries
          // from 1 on, never the keys. At index 1 (term 1), with no entry 1 in the log, a joining
          // member's log does not match the leader's anywhere and it is sent the snapshot.
          log.applySnapshot(Snapshot.newBuilder()
              .setMetadata(io.v2store.raft.pb.SnapshotMetadata.newBuilder()
                  .setIndex(1).setTerm(1).setConfState(layout.initialConfState()))
              .setData(com.google.protobuf.ByteString.copyFrom(stateMachine.snapshot()))
              .build());
        } else {
          log.createSnapshot(0, layout.initialConfState(), stateMachine.snapshot());
        }
        LOG.info(() -> name + ": starting a " + (config.initialClusterState() == ClusterState.NEW
            ? "new" : "joining") + " member " + Long.toHexString(selfId) + " in cluster "
            + Long.toHexString(clusterId));
      }
      if (recorded.isEmpty()) MemberIdentity.write(memberDir, identity);
      long snapshotIndex = 0;
      long snapshotBytes = 0;
      ConfState confState = log.initialState().confState();
      // Read from the file as a stream: it may be over the 2 GiB one Snapshot can hold.
      try (SnapshotInput snapshot = log.openSnapshot()) {
        snapshotIndex = snapshot.metadata().getIndex();
        snapshotBytes = snapshot.sizeBytes();
        confState = snapshot.metadata().getConfState();
        stateMachine.restore(snapshot);
      } catch (SnapshotTemporarilyUnavailableException none) {
        // nothing to restore from: the whole state is in the log
      }
      if (members.isRemoved(selfId)) {
        throw new MemberRemovedException(name);
      }
      final long recoveredAt = snapshotIndex;
      LOG.info(() -> name + ": recovered snapshot at index " + recoveredAt + ", log to "
          + log.lastIndex());

      long heartbeatMillis = config.heartbeatIntervalMillis();
      int electionTicks = (int) Math.max(2, config.electionTimeoutMillis() / heartbeatMillis);
      RaftConfig raftConfig = new RaftConfig(selfId, electionTicks, 1, config.preVote(), true,
          1 << 20, 256, 32L << 20, snapshotIndex, selfId ^ System.nanoTime())
          .withLeaseReads(config.leaseReads());
      RawNode node = new RawNode(raftConfig, log);

      EtcdMeterRegistry registry = new EtcdMeterRegistry();
      LeaderTracker leader = new LeaderTracker(startMillis);
      MemberMetrics metrics = new MemberMetrics(name, registry, keySpace, writes, leader, onFatal);
      registry.gaugeNamedAsIs("etcd_server_snapshot_apply_in_progress_total",
          "1 if the server is applying the incoming snapshot. 0 if none.",
          metrics::snapshotsInstalling);
      EtcdCompatMetrics.register(registry, selfId, keySpace);

      AtomicReference<RaftDriver> driverRef = new AtomicReference<>();
      PeerStats peerStats = new PeerStats(new PeerMeters(registry));
      TransportConfig peerLimits = TransportConfig.defaults();
      PeerTransport transport = new PeerTransport(clusterId, selfId,
          listenAddresses(config.listenPeerUrls()), message -> {
            peerStats.received(message);
            driverRef.get().stepInBatch(message);
          },
          new PeerEvents() {
            @Override
            public void unreachable(long peerId) {
              peerStats.unreachable(peerId);
              driverRef.get().reportUnreachable(peerId);
            }

            @Override
            public void snapshotSent(long peerId, boolean failed) {
              driverRef.get().reportSnapshot(peerId, failed);
            }

            @Override
            public void readComplete() {
              driverRef.get().endBatch();
            }

            @Override
            public void removedFromCluster(long peerId) {
              onFatal.accept(new MemberRemovedException(name));
            }
          }, peerLimits, peerTls);
      // A small --snapshot-count (tests, tiny deployments) keeps a proportionally short tail.
      long catchUp = Math.min(CATCH_UP_ENTRIES, config.snapshotCount() / 2);
      DriverConfig driverConfig = new DriverConfig(heartbeatMillis, config.snapshotCount(),
          catchUp, APPLY_BACKLOG_BATCHES, config.snapshotsScale());
      RaftDriver driver = new RaftDriver(name, node, log, messages -> {
        peerStats.sent(messages);
        transport.send(messages);
      }, stateMachine,
          snapshotIndex, snapshotBytes, confState, driverConfig, metrics);
      driverRef.set(driver);
      transport.setClusterInfo(members::toMemberList);
      transport.setPeerHttp(new PeerPortAnswers(members, clusterId));
      transport.setSnapshotSink(log.snapshotSink());
      started.add(transport::close); // before start: a failed bind leaves its event loops
      transport.start();
      peers.attach(transport, members.list(), members.removedIds());
      driver.start();
      started.add(driver::close);
      if (confState.getVotersList().equals(List.of(selfId))) {
        driver.campaign(); // alone: no reason to wait an election timeout
      }
      List<Long> peerIds = confState.getVotersList().stream().filter(id -> id != selfId).toList();
      if (InitialTickAdvance.applies(config.initialElectionTickAdvance(), peerIds)) {
        started.add(InitialTickAdvance.start(name, peerIds, transport::isConnected, electionTicks,
            heartbeatMillis, driver::advanceElectionTicks));
      }

      ExpiryTicker expiry = new ExpiryTicker(name, driver, keySpace, clock);
      expiry.start(EXPIRY_CHECK_MILLIS);
      started.add(expiry::close);

      // etcd's request timeout: 5 s plus two election timeouts.
      long requestTimeoutMillis = 5_000 + 2 * config.electionTimeoutMillis();
      RequestIds ids = new RequestIds(selfId, startMillis);
      Proposals proposals = new Proposals();
      leader.onNewLeader(proposals::newLeader);
      MembershipChanges changes = new MembershipChanges(driver, members, memberChanges, ids,
          transport::isConnected, requestTimeoutMillis, clock, proposals, config.strictReconfigCheck());
      WaitingReads quorumReads = new WaitingReads();
      RaftMemberBackend backend = new RaftMemberBackend(name, clusterId, keySpace, driver,
          writes, quorumReads, ids, members, auth, changes, requestTimeoutMillis, startMillis,
          leader, peerStats, proposals);

      long bodyLimit = bodyLimit(config.maxRequestBytes(), peerLimits);
      if (bodyLimit < config.maxRequestBytes()) {
        LOG.warning(name + ": --max-request-bytes " + config.maxRequestBytes() + " is more than one"
            + " peer message carries; request bodies are limited to " + bodyLimit + " bytes");
      }
      HttpApiConfig httpConfig = new HttpApiConfig(bodyLimit, config.cors(), clock,
          Version.SERVER, Version.CLUSTER, requestTimeoutMillis, config.enableV2(),
          config.hostWhitelist());
      HttpApiServer http = started.add(new HttpApiServer(httpConfig, backend, registry));
      // As etcd's: the metrics listeners serve once Raft runs (a health check there is answered,
      // 503 while there is no leader), the client listeners only once this member's attributes are
      // committed, so that every client that syncs through /v2/members finds it with its client
      // URLs. Until then they accept nothing: connections wait in their backlogs.
      http.serveMetrics(listeners, clientTls);
      changes.publish(name, config.advertiseClientUrls().stream().map(URI::toString).toList());
      http.serveClients();
      LOG.info(() -> name + ": serving clients on " + http.boundAddresses());
      LeaderHandOver handOver = new LeaderHandOver(name, driver, members, transport,
          config.electionTimeoutMillis());
      LiveBackups backups = started.add(LiveBackups.start(name, memberDir, log));
      // As etcd's: what still waits for the log at a stop is told the server stopped
      // (indeterminate: a write may yet commit elsewhere), while its connection can still carry the
      // answer. A member change gets the members API's generic 500, as etcd's ErrStopped does.
      Runnable answerWaitingAsStopped = () -> {
        EtcdException stopped =
            new EtcdException(EtcdError.RAFT_INTERNAL, "etcdserver: server stopped", 0);
        writes.stop(stopped);
        quorumReads.stop(stopped);
        memberChanges.stop(new MembershipException(500, "Internal Server Error"));
      };
      return new EtcdMember(name, log, transport, driver, expiry, http, answerWaitingAsStopped,
          handOver, lock, backups);
    } catch (Exception | Error e) {
      started.closeAfter(e);
      throw e;
    }
  }

  /**
   * With --discovery-srv, a new member's initial cluster comes from the domain's SRV records. A
   * member with data has its cluster already and needs no DNS to restart (etcd asks DNS anyway).
   */
  private static ServerConfig withSrvCluster(ServerConfig config) throws Discovery.DiscoveryException {
    if (config.discoverySrv().isEmpty()) return config;
    if (Files.exists(config.dataDir().resolve("member").resolve(MemberIdentity.FILE))) {
      LOG.info(() -> config.name() + ": DNS discovery not needed: the data dir holds the cluster");
      return config;
    }
    Map<String, List<URI>> cluster = SrvCluster.find(new SystemSrvResolver(),
        config.discoverySrv().get(), config.name(), config.initialAdvertisePeerUrls(), true);
    LOG.info(() -> config.name() + ": got the initial cluster from DNS SRV records of "
        + config.discoverySrv().get().domain() + ": " + InitialCluster.format(cluster));
    return config.withInitialCluster(cluster);
  }

  /** A new member of a cluster bootstrapped with --discovery: its initial cluster, found. */
  private static ServerConfig discover(ServerConfig config)
      throws Discovery.DiscoveryException, InterruptedException {
    // Registered as etcd registers: the default initial cluster, "name=url" pairs sorted.
    String registration = config.initialAdvertisePeerUrls().stream()
        .map(url -> config.name() + "=" + url).sorted()
        .collect(Collectors.joining(","));
    LOG.info(() -> config.name() + ": bootstrapping through discovery at " + config.discovery().get());
    Map<String, List<URI>> cluster = Discovery.join(config.name(), config.discovery().get(),
        config.discoveryProxy(), config.memberId(), registration);
    LOG.info(() -> config.name() + ": discovered the initial cluster "
        + InitialCluster.format(cluster));
    return config.withInitialCluster(cluster);
  }

  /**
   * As etcd's isMemberBootstrapped: a new member without data asks the others in
   * --initial-cluster (a second each) whether it has published itself before; one that has lost
   * its data dir must not come back as a voter with an empty log. No answer, or a cluster still
   * forming, lets it start.
   */
  private static void refuseIfBootstrapped(ServerConfig config, PeerTls tls)
      throws MemberBootstrappedException {
    long selfId = config.memberId();
    List<URI> ours = config.initialAdvertisePeerUrls();
    List<URI> others = config.initialCluster().entrySet().stream()
        .filter(e -> !e.getKey().equals(config.name())).flatMap(e -> e.getValue().stream())
        .filter(url -> !ours.contains(url)).toList();
    if (others.isEmpty()) return;
    JoinQuery.Answer answer;
    io.v2store.storage.pb.MemberList list;
    try {
      answer = JoinQuery.ask(others, BOOTSTRAPPED_QUERY_TIMEOUT_MILLIS, tls);
      list = io.v2store.storage.pb.MemberList.parseFrom(answer.clusterInfo());
    } catch (IOException e) {
      return; // no peer answers: a cluster starting, as etcd assumes then
    }
    for (io.v2store.storage.pb.MemberAttributes m : list.getMembersList()) {
      if (m.getId() == selfId && m.getClientUrlsCount() > 0) {
        throw new MemberBootstrappedException(selfId);
      }
    }
  }

  /** Learns the cluster from the first running member named in --initial-cluster. */
  private static ClusterLayout askToJoin(ServerConfig config, PeerTls tls)
      throws IOException, JoinException {
    List<URI> ours = config.initialAdvertisePeerUrls();
    List<URI> others = config.initialCluster().values().stream().flatMap(List::stream)
        .filter(url -> !ours.contains(url)).toList();
    JoinQuery.Answer answer;
    try {
      answer = JoinQuery.ask(others, JOIN_QUERY_TIMEOUT_MILLIS, tls);
    } catch (IOException e) {
      throw new JoinException("cannot fetch cluster info from peer urls: " + e.getMessage());
    }
    LOG.info(() -> config.name() + ": joining cluster " + Long.toHexString(answer.clusterId())
        + " as told by member " + Long.toHexString(answer.answeredBy()));
    return ClusterLayout.joining(config, answer);
  }

  /** Every --listen-peer-urls, as etcd listens on each. */
  /**
   * The largest request body taken: --max-request-bytes, but no more than one peer message
   * carries, less room for the key (in the URL) and the entry's other fields. A write is one Raft
   * entry, sent whole to each follower (and from a follower to the leader): a larger one was
   * appended by the leader, refused by every follower as too long a frame, and cost an election
   * before its writer got "request timed out".
   */
  static long bodyLimit(long maxRequestBytes, TransportConfig peers) {
    return Math.min(maxRequestBytes, peers.maxFrameBytes() - (1 << 20));
  }

  private static List<InetSocketAddress> listenAddresses(List<URI> urls) {
    return urls.stream().map(url -> new InetSocketAddress(url.getHost(), url.getPort())).toList();
  }

  /**
   * Stops gracefully: a leader first hands leadership to a follower so clients see no gap, then
   * client serving stops, then Raft, then the log. Nothing acknowledged is lost.
   */
  @Override
  public void close() {
    handOver.run();
    answerWaitingAsStopped.run();
    http.close();
    expiry.close();
    driver.close();
    transport.close();
    backups.close(); // waits for a copy being made: RocksDB's checkpoint needs the log open
    log.close();
    lock.close();
    LOG.info(() -> name + ": stopped");
  }

  /** --import-from: the old cluster's keys, or why they cannot be had. */
  private static KeysImport.Listing readImport(List<java.net.URI> from) throws IOException {
    try {
      return KeysImport.read(from);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading keys to import", e);
    } catch (IOException e) {
      throw new KeysImport.ImportException("--import-from: cannot read the keys: " + e.getMessage(), e);
    }
  }

  /** The new member's key space starts as the old cluster's; the initial snapshot keeps it. */
  private static void importKeys(String name, List<java.net.URI> from, KeysImport.Listing listing,
      KeySpace keySpace) throws IOException {
    try {
      keySpace.importNodes(listing.nodes(), listing.index());
    } catch (IllegalArgumentException e) {
      throw new KeysImport.ImportException("--import-from: " + e.getMessage(), e);
    }
    LOG.info(() -> name + ": imported " + listing.nodes().size() + " nodes from "
        + String.join(", ", from.stream().map(java.net.URI::toString).toList())
        + " at its index " + listing.index());
  }

}
