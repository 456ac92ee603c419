package io.v2store.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String[] LOOPBACK = {
        "--name", "n1", "--data-dir", "/tmp/n1",
        "--listen-client-urls", "http://127.0.0.1:2379", "--advertise-client-urls", "http://127.0.0.1:2379",
        "--listen-peer-urls", "http://127.0.0.1:2380", "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
        "--initial-cluster", "n1=http://127.0.0.1:2380", "--initial-cluster-token", "tok",
        "--initial-cluster-state", "new"};

    static LoadResult.Run run(Map<String, String> env, String... args) {
        LoadResult result = ConfigLoader.load(args, env);
        if (result instanceof LoadResult.Exit exit) {
            throw new AssertionError("expected Run, got exit " + exit.code() + ": " + exit.stderr());
        }
        return (LoadResult.Run) result;
    }

    static LoadResult.Run run(String... args) {
        return run(Map.of(), args);
    }

    static LoadResult.Exit exit(Map<String, String> env, String... args) {
        return assertInstanceOf(LoadResult.Exit.class, ConfigLoader.load(args, env));
    }

    static LoadResult.Exit exit(String... args) {
        return exit(Map.of(), args);
    }

    @Test
    void defaultsAreEtcds() {
        LoadResult.Run result = run();
        ServerConfig c = result.config();
        assertEquals("default", c.name());
        assertEquals(Path.of("default.etcd"), c.dataDir());
        assertEquals(Optional.empty(), c.walDir());
        assertEquals(100_000, c.snapshotCount());
        assertEquals(100, c.heartbeatIntervalMillis());
        assertEquals(1000, c.electionTimeoutMillis());
        assertEquals(List.of(URI.create("http://localhost:2380")), c.listenPeerUrls());
        assertEquals(List.of(URI.create("http://localhost:2379")), c.listenClientUrls());
        assertEquals(List.of(URI.create("http://localhost:2380")), c.initialAdvertisePeerUrls());
        assertEquals(List.of(URI.create("http://localhost:2379")), c.advertiseClientUrls());
        assertEquals(List.of(), c.listenMetricsUrls());
        assertEquals(Map.of("default", List.of(URI.create("http://localhost:2380"))), c.initialCluster());
        assertEquals(ClusterState.NEW, c.initialClusterState());
        assertEquals("etcd-cluster", c.initialClusterToken());
        assertEquals(1_572_864, c.maxRequestBytes());
        assertTrue(c.enableV2(), "ours defaults to true");
        assertTrue(c.preVote(), "ours defaults to on (README); --pre-vote=false is etcd's way");
        assertTrue(c.initialElectionTickAdvance(), "etcd's default");
        assertTrue(c.strictReconfigCheck());
        assertEquals(List.of("*"), c.cors());
        assertTrue(c.corsAllowsAll());
        assertEquals("info", c.logLevel());
        assertFalse(c.forceNewCluster());
        assertFalse(c.tls().anySet());
        assertEquals(1000, c.historySize());
        assertFalse(c.unsafeNoFsync());
        assertEquals(List.of(), result.warnings());
        assertEquals(List.of(), result.infos());
    }

    @Test
    void theSpecsLoopbackStartIsAccepted() {
        ServerConfig c = run(LOOPBACK).config();
        assertEquals("n1", c.name());
        assertEquals(Path.of("/tmp/n1"), c.dataDir());
        assertEquals(Map.of("n1", List.of(URI.create("http://127.0.0.1:2380"))), c.initialCluster());
        assertEquals("tok", c.initialClusterToken());
        assertEquals(c.clusterIds().memberId("n1"), c.memberId());
    }

    @Test
    void onlyTheNameChangedGivesNameDotEtcdAndANamedInitialCluster() {
        ServerConfig c = run("--name", "abc").config();
        assertEquals(Path.of("abc.etcd"), c.dataDir());
        assertEquals(Map.of("abc", List.of(URI.create("http://localhost:2380"))), c.initialCluster());
    }

    @Test
    void initialClusterDefaultsToEveryAdvertisedPeerUrl() {
        ServerConfig c = run("--name", "m", "--initial-advertise-peer-urls", "http://127.0.0.1:3,http://127.0.0.1:4")
            .config();
        assertEquals(Map.of("m", List.of(URI.create("http://127.0.0.1:3"), URI.create("http://127.0.0.1:4"))),
            c.initialCluster());
    }

    @Test
    void anEmptyDataDirMeansTheDefault() {
        assertEquals(Path.of("x.etcd"), run("--name=x", "--data-dir=").config().dataDir());
    }

    @Test
    void versionPrintsFourLinesAndSaysItIsOurBuild() {
        LoadResult.Exit e = exit("--version");
        assertEquals(0, e.code());
        String[] lines = e.stdout().split("\n");
        assertEquals(4, lines.length);
        assertEquals("etcd Version: 3.4.23", lines[0]);
        assertTrue(lines[1].startsWith("Git SHA: ") && lines[1].contains("v2store"), lines[1]);
        assertTrue(lines[2].startsWith("Go Version: "), lines[2]);
        assertTrue(lines[3].startsWith("Go OS/Arch: "), lines[3]);
        assertEquals("", e.stderr());
    }

    @Test
    void versionDoesNotLookAtTheEnvironment() {
        // etcd prints the version before reading ETCD_*: even a conflict does not matter.
        assertEquals(0, exit(Map.of("ETCD_NAME", "x"), "--name", "y", "--version").code());
    }

    @Test
    void helpListsEveryFlagWithItsDefault() {
        for (String arg : List.of("-h", "--help")) {
            LoadResult.Exit e = exit(arg);
            assertEquals(0, e.code());
            for (FlagSpec spec : FlagCatalog.byName().values()) {
                assertTrue(e.stdout().contains("--" + spec.name() + " '" + spec.defaultValue() + "'"),
                    "usage lacks " + spec.name());
            }
        }
    }

    @Test
    void unknownFlagExitsTwoWithUsage() {
        LoadResult.Exit e = exit("--addr", "127.0.0.1:4001");
        assertEquals(2, e.code());
        assertTrue(e.stderr().startsWith("flag provided but not defined: -addr\nUsage:"), e.stderr());
        assertEquals("", e.stdout());
    }

    @Test
    void badFlagValueExitsTwoLikeGosFlagPackage() {
        LoadResult.Exit e = exit("--heartbeat-interval=abc");
        assertEquals(2, e.code());
        assertTrue(e.stderr().startsWith("invalid value \"abc\" for flag -heartbeat-interval: parse error\n"));
        LoadResult.Exit state = exit("--initial-cluster-state=foo");
        assertTrue(state.stderr().startsWith("invalid value \"foo\" for flag -initial-cluster-state: invalid value"));
    }

    @Test
    void positionalArgumentExitsOne() {
        LoadResult.Exit e = exit("bar");
        assertEquals(1, e.code());
        assertTrue(e.stderr().contains("'bar' is not a valid flag"), e.stderr());
        LoadResult.Exit spacedBool = exit("--enable-v2", "false");
        assertEquals(1, spacedBool.code());
        assertTrue(spacedBool.stderr().contains("'false' is not a valid flag"), spacedBool.stderr());
    }

    @Test
    void environmentSuppliesEveryFlag() {
        LoadResult.Run result = run(Map.of("ETCD_NAME", "envname", "ETCD_ENABLE_V2", "false",
            "ETCD_HISTORY_SIZE", "50", "ETCD_SNAPSHOT_COUNT", "7"));
        assertEquals("envname", result.config().name());
        assertFalse(result.config().enableV2());
        assertEquals(50, result.config().historySize());
        assertEquals(7, result.config().snapshotCount());
        assertTrue(result.infos().contains("recognized and used environment variable ETCD_NAME=envname"),
            result.infos().toString());
    }

    @Test
    void aFlagAndItsVariableTogetherAreFatal() {
        LoadResult.Exit e = exit(Map.of("ETCD_NAME", "x"), "--name", "y");
        assertEquals(1, e.code());
        assertTrue(e.stderr().contains("conflicting environment variable \"ETCD_NAME\" is shadowed by "
            + "corresponding command-line flag (either unset environment variable or disable flag)"), e.stderr());
        // even an empty variable conflicts, as in etcd
        assertEquals(1, exit(Map.of("ETCD_NAME", ""), "--name", "y").code());
    }

    @Test
    void unknownEtcdVariablesOnlyWarnAndOthersAreIgnored() {
        LoadResult.Run result = run(Map.of("ETCD_FOO", "bar", "HOME", "/root", "ETCD_NAME", ""));
        assertTrue(result.warnings().contains("unrecognized environment variable ETCD_FOO=bar"), result.warnings().toString());
        assertTrue(result.warnings().contains("unrecognized environment variable ETCD_NAME="));
        assertEquals(2, result.warnings().size(), result.warnings().toString());
        assertEquals("default", result.config().name());
    }

    @Test
    void aBadEnvironmentValueExitsOne() {
        LoadResult.Exit e = exit(Map.of("ETCD_HEARTBEAT_INTERVAL", "abc"));
        assertEquals(1, e.code());
        assertTrue(e.stderr().contains("invalid value \"abc\" for ETCD_HEARTBEAT_INTERVAL: parse error"), e.stderr());
    }

    @Test
    void aBadEnvironmentValueIsReportedAsEtcdVerifiesFlags() {
        // Debian's etcd: "E | etcdmain: error verifying flags, invalid value ..." (a conflict
        // with a flag, by contrast, is pkg/flags' fatal line, without these words)
        assertEquals("etcdmain: error verifying flags, invalid value \"yes\" for ETCD_ENABLE_V2: parse error."
            + " See 'etcd --help'.\n", exit(Map.of("ETCD_ENABLE_V2", "yes")).stderr());
    }

    @Test
    void aSnapshotCountBeyondJavasLongIsTheLargestThereIs() {
        // a uint64: etcd starts with 18446744073709551615 (never a snapshot); here it came out
        // negative and the member failed to start ("snapshotCount must be > 0")
        assertEquals(Long.MAX_VALUE, run("--snapshot-count", "18446744073709551615").config().snapshotCount());
        assertEquals(Long.MAX_VALUE, run("--snapshot-count", "9223372036854775808").config().snapshotCount());
    }

    @Test
    void listeningOnClientUrlsRequiresAdvertisingThem() {
        LoadResult.Exit e = exit("--listen-client-urls", "http://127.0.0.1:2379");
        assertEquals(1, e.code());
        assertTrue(e.stderr().contains(
            "--advertise-client-urls is required when --listen-client-urls is set explicitly"), e.stderr());
    }

    @Test
    void timingIsChecked() {
        assertTrue(exit("--heartbeat-interval", "500").stderr().contains(
            "--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[500ms]"));
        assertTrue(exit("--election-timeout", "60000").stderr().contains("is too long"));
        assertTrue(exit("--heartbeat-interval", "0").stderr().contains("--heartbeat-interval must be >0"));
        // Debian's etcd checks the ratio first, then the ceiling: a long heartbeat with an
        // election timeout five times as long is refused as too long
        assertTrue(exit("--heartbeat-interval", "60000", "--election-timeout", "300000").stderr().contains(
            "--election-timeout[300000ms] is too long, and should be set less than 50000ms"));
        ServerConfig c = run("--heartbeat-interval", "50", "--election-timeout", "250").config();
        assertEquals(50, c.heartbeatIntervalMillis());
        assertEquals(250, c.electionTimeoutMillis());
    }

    /**
     * etcd reads --initial-cluster only to bootstrap: a member restarted on its data dir after
     * `member update` moved its peer URLs, with the env file's old list, starts. Ours refused it,
     * so a moved member could not come back until its initial cluster was edited too.
     */
    @Test
    void aDataDirHoldingAMemberIsNotCheckedAgainstTheInitialCluster(@org.junit.jupiter.api.io.TempDir Path tmp)
        throws Exception {
        Path member = tmp.resolve("m1.etcd").resolve("member");
        java.nio.file.Files.createDirectories(member);
        java.nio.file.Files.writeString(member.resolve("identity"), "abc 123\n");
        String dataDir = tmp.resolve("m1.etcd").toString();
        ServerConfig moved = run("--name", "m1", "--data-dir", dataDir,
            "--initial-advertise-peer-urls", "http://127.0.0.1:12380",
            "--initial-cluster", "m1=http://127.0.0.1:2380,m2=http://127.0.0.1:2381").config();
        assertEquals(List.of(URI.create("http://127.0.0.1:12380")), moved.initialAdvertisePeerUrls());
        // without a member in the data dir, the same flags are refused as before
        assertEquals(1, exit("--name", "m1", "--data-dir", tmp.resolve("empty").toString(),
            "--initial-advertise-peer-urls", "http://127.0.0.1:12380",
            "--initial-cluster", "m1=http://127.0.0.1:2380,m2=http://127.0.0.1:2381").code());
    }

    @Test
    void theMemberMustBeInTheInitialClusterWithItsAdvertisedUrls() {
        LoadResult.Exit missing = exit("--name", "n1", "--initial-cluster", "n2=http://localhost:2380");
        assertEquals(1, missing.code());
        assertTrue(missing.stderr().contains("couldn't find local name \"n1\" in the initial cluster configuration"));
        // --name= (an unset variable's expansion) without --initial-cluster: etcd names the
        // default cluster's member "default", and refuses; an explicit cluster may hold "".
        LoadResult.Exit empty = exit("--name=");
        assertEquals(1, empty.code());
        assertTrue(empty.stderr().contains("couldn't find local name \"\" in the initial cluster configuration"),
            empty.stderr());
        assertEquals("", run("--name=", "--initial-cluster", "=http://localhost:2380").config().name());
        LoadResult.Exit mismatch = exit("--name", "n1", "--initial-cluster", "n1=http://127.0.0.1:9");
        assertEquals(1, mismatch.code());
        assertTrue(mismatch.stderr().contains("--initial-cluster has n1=http://127.0.0.1:9 but missing from "
            + "--initial-advertise-peer-urls=http://localhost:2380"), mismatch.stderr());
        assertTrue(exit("--initial-cluster", "n2").stderr().contains(
            "error setting up initial cluster: URL scheme must be http, https, unix, or unixs: "));
        assertTrue(exit("--initial-cluster", "default=http://localhost:2380,b=http://localhost:2380")
            .stderr().contains("has duplicate url"));
    }

    @Test
    void joiningAnExistingClusterNeedsNoUrlMatch() {
        ServerConfig c = run("--name", "n3", "--initial-cluster-state", "existing",
            "--initial-cluster", "n1=http://127.0.0.1:1,n3=http://127.0.0.1:3").config();
        assertEquals(ClusterState.EXISTING, c.initialClusterState());
        assertEquals(List.of("n1", "n3"), List.copyOf(c.initialCluster().keySet()));
    }

    @Test
    void initialElectionTickAdvanceCanBeTurnedOff() {
        assertFalse(run("--initial-election-tick-advance=false").config().initialElectionTickAdvance());
        assertTrue(run("--initial-election-tick-advance=true").config().initialElectionTickAdvance());
    }

    @Test
    void preVoteIsOnUnlessSetOffAsEtcdHasIt() {
        assertFalse(run("--pre-vote=false").config().preVote());
        assertTrue(run("--pre-vote=true").config().preVote());
    }

    @Test
    void corsLogLevelTlsAndHistory() {
        ServerConfig c = run("--cors", "http://b.example:80,http://a.example:80", "--log-level", "warn",
            "--cert-file", "/c.pem", "--history-size", "5000", "--pre-vote", "--strict-reconfig-check=false",
            "--max-request-bytes", "100", "--wal-dir", "/w", "--snapshot-count", "10",
            "--listen-metrics-urls", "http://127.0.0.1:9").config();
        assertEquals(List.of("http://a.example:80", "http://b.example:80"), c.cors());
        assertFalse(c.corsAllowsAll());
        assertEquals("warn", c.logLevel());
        assertEquals(Optional.of(Path.of("/c.pem")), c.tls().certFile());
        assertEquals(5000, c.historySize());
        assertTrue(c.preVote());
        assertFalse(c.strictReconfigCheck());
        assertEquals(100, c.maxRequestBytes());
        assertEquals(Optional.of(Path.of("/w")), c.walDir());
        assertEquals(10, c.snapshotCount());
        assertTrue(c.snapshotsScale());
        assertFalse(run("--snapshot-scales=false").config().snapshotsScale());
        assertEquals(List.of(URI.create("http://127.0.0.1:9")), c.listenMetricsUrls());
        assertEquals("debug", run("--debug").config().logLevel());
        assertEquals(1, exit("--log-level", "loud").code());
        assertEquals(1, exit("--history-size", "0").code());
        // etcd starts with any uint64: beyond what a body can be, it is the largest there is
        assertEquals(Integer.MAX_VALUE, run("--max-request-bytes", "10737418240").config().maxRequestBytes());
        assertEquals(Integer.MAX_VALUE,
            run("--max-request-bytes", "18446744073709551615").config().maxRequestBytes());
        assertEquals(2, exit("--cors", "http://a.com").code(), "etcd requires host:port in --cors");
    }

    @Test
    void unsafeNoFsyncIsAcceptedButNeverHonoured() {
        LoadResult.Run result = run("--unsafe-no-fsync");
        assertFalse(result.config().unsafeNoFsync());
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("--unsafe-no-fsync")), result.warnings().toString());
    }

    @Test
    void unimplementedAndLegacyFlagsWarn() {
        LoadResult.Run result = run("--max-snapshots", "2", "-v", "--max-wals=3");
        assertEquals(List.of(
                "flag --max-snapshots=2 is accepted but not implemented by this server; ignoring it",
                "flag --max-wals=3 is accepted but not implemented by this server; ignoring it",
                "flag \"-v\" is no longer supported - ignoring."),
            result.warnings());
    }

    @Test
    void discoveryTakesTheInitialClustersPlace() {
        LoadResult.Run result = run("--name", "a", "--discovery", "https://discovery.etcd.io/abc",
            "--discovery-fallback", "exit");
        assertEquals("https://discovery.etcd.io/abc", result.config().discovery().orElseThrow().toString());
        assertEquals(List.of(), result.warnings());
        assertFalse(result.config().proxy().discoveryFallback());
        assertTrue(run("--discovery-fallback", "proxy").config().proxy().discoveryFallback());
        assertTrue(run().config().proxy().discoveryFallback(), "etcd's default: fall back to a proxy");
        assertEquals(List.of(), run("--discovery-fallback", "proxy").warnings());
        assertTrue(run().config().discovery().isEmpty());

        LoadResult.Exit both = exit("--discovery", "https://discovery.etcd.io/abc",
            "--initial-cluster", "default=http://localhost:2380");
        assertTrue(both.stderr().contains("multiple discovery or bootstrap flags are set"), both.stderr());
        LoadResult.Exit notHttp = exit("--discovery", "ftp://d.example/x");
        assertTrue(notHttp.stderr().contains("--discovery: invalid URL ftp://d.example/x"), notHttp.stderr());
    }

    @Test
    void discoveryUrlIsTheClusterTokenAsInEtcd() {
        // Debian's etcd 3.4.23, size 1: member aa76e34d2353dedd (sha1 of the peer URL and the
        // discovery URL), whatever --initial-cluster-token says.
        String url = "http://127.0.0.1:23790/v2/keys/_etcd/registry/t1";
        for (List<String> token : List.of(List.<String>of(), List.of("--initial-cluster-token", "x"))) {
            List<String> args = new ArrayList<>(List.of("--name", "e1", "--initial-advertise-peer-urls",
                "http://127.0.0.1:23720", "--discovery", url));
            args.addAll(token);
            ServerConfig config = run(args.toArray(String[]::new)).config();
            assertEquals("aa76e34d2353dedd", ClusterIds.hex(config.memberId()));
        }
        ServerConfig plain = run("--name", "e1", "--initial-advertise-peer-urls", "http://127.0.0.1:23720",
            "--initial-cluster", "e1=http://127.0.0.1:23720").config();
        assertEquals("4d22b90d1ea0991f", ClusterIds.hex(plain.memberId()), "etcd-cluster, the default token");
    }

    @Test
    void anEmptyInitialClusterGivesWayToDiscoveryAsInEtcd() {
        // etcd counts a bootstrap flag only when it is not empty: a unit's
        // --initial-cluster=${ETCD_INITIAL_CLUSTER} left empty next to --discovery starts (3.4.23)
        String url = "http://127.0.0.1:23790/v2/keys/_etcd/registry/t2";
        ServerConfig viaDiscovery = run("--name", "a", "--initial-advertise-peer-urls",
            "http://127.0.0.1:23724", "--initial-cluster", "", "--discovery", url).config();
        assertEquals(url, viaDiscovery.discovery().orElseThrow().toString());
        assertEquals(Map.of("a", List.of(URI.create("http://127.0.0.1:23724"))), viaDiscovery.initialCluster());
        ServerConfig viaSrv = run("--name", "a", "--initial-cluster", "", "--discovery-srv", "example.com").config();
        assertTrue(viaSrv.discoverySrv().isPresent());
        // without either, an empty list names no member, as etcd says
        assertTrue(exit("--name", "a", "--initial-cluster", "").stderr()
            .contains("couldn't find local name \"a\" in the initial cluster configuration"));
    }

    @Test
    void aJoinWithDiscoveryIsRefusedAsInEtcd() {
        // Debian's etcd 3.4.23 exits 1: "discovery URL should not be set when joining existing
        // initial cluster"; we tried to join with no member to ask
        LoadResult.Exit join = exit("--name", "a", "--initial-cluster-state", "existing",
            "--discovery", "http://127.0.0.1:23790/v2/keys/_etcd/registry/t3");
        assertEquals(1, join.code());
        assertTrue(join.stderr().contains("discovery URL should not be set when joining existing initial cluster"),
            join.stderr());
    }

    @Test
    void cipherSuitesTakeGosNamesAndKeepTls13() {
        assertEquals(List.of(), run().config().cipherSuites());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"),
            run("--cipher-suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305")
                .config().cipherSuites());
        LoadResult.Exit unknown = exit("--cipher-suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,FOO");
        assertEquals(1, unknown.code());
        assertTrue(unknown.stderr().contains("unexpected TLS cipher suite \"FOO\""), unknown.stderr());
    }

    @Test
    void discoveryProxyIsReadAsEtcdReadsIt() {
        assertEquals("p.example:3128", run("--discovery-proxy", "p.example:3128").config().discoveryProxy()
            .orElseThrow().toString().replace("/<unresolved>", ""));
        assertEquals(8080, run("--discovery-proxy", "http://p.example:8080").config().discoveryProxy()
            .orElseThrow().getPort());
        assertEquals(80, run("--discovery-proxy", "http://p.example").config().discoveryProxy().orElseThrow().getPort());
        assertTrue(run().config().discoveryProxy().isEmpty());
        LoadResult.Exit tls = exit("--discovery-proxy", "https://p.example:443");
        assertTrue(tls.stderr().contains("invalid proxy address \"https://p.example:443\": only http:// proxies"),
            tls.stderr());
    }

    @Test
    void discoverySrvTakesTheInitialClustersPlace() {
        LoadResult.Run result = run("--name", "a", "--discovery-srv", "d.example", "--discovery-srv-name", "blue");
        SrvDomain srv = result.config().discoverySrv().orElseThrow();
        assertEquals("d.example", srv.domain());
        assertEquals("etcd-server-ssl-blue", srv.service(true));
        assertEquals("etcd-server-blue", srv.service(false));
        assertEquals(List.of(), result.warnings());
        assertEquals("etcd-server", run("--discovery-srv", "d.example").config().discoverySrv().orElseThrow()
            .service(false));
        assertTrue(run().config().discoverySrv().isEmpty());

        for (String[] conflicting : List.of(
                new String[] {"--discovery-srv", "d.example", "--initial-cluster", "default=http://localhost:2380"},
                new String[] {"--discovery-srv", "d.example", "--discovery", "https://discovery.etcd.io/abc"})) {
            LoadResult.Exit exit = exit(conflicting);
            assertTrue(exit.stderr().contains("multiple discovery or bootstrap flags are set. Choose one of "
                + "\"initial-cluster\", \"discovery\" or \"discovery-srv\""), exit.stderr());
        }
    }

    @Test
    void proxyModeNeedsNoMembership() {
        LoadResult.Run proxy = run("--proxy", "on", "--name", "p",
            "--listen-client-urls", "http://127.0.0.1:2379",
            "--initial-cluster", "a=http://10.0.0.1:2380,b=http://10.0.0.2:2380",
            "--proxy-refresh-interval", "1000");
        assertTrue(proxy.config().proxy().on());
        assertEquals(1000, proxy.config().proxy().refreshIntervalMillis());
        assertEquals(List.of(), proxy.warnings());
        assertFalse(proxy.config().proxy().readonly());
        assertFalse(run().config().proxy().on());
        ProxySettings readonly = run("--proxy", "readonly", "--initial-cluster", "a=http://10.0.0.1:2380")
            .config().proxy();
        assertTrue(readonly.on() && readonly.readonly(), readonly.toString());
    }

    @Test
    void everyFlagOfEtcdIsAcceptedOnTheCommandLineAndFromTheEnvironment() {
        for (FlagSpec spec : FlagCatalog.byName().values()) {
            if (spec.name().equals("version") || spec.name().equals("config-file")) {
                continue; // config-file names a file to read: ConfigFileTest
            }
            String value = sampleValue(spec);
            // listening on client URLs requires advertising them, whichever way it is set
            boolean needsAdvertise = spec.name().equals("listen-client-urls");
            String[] args = needsAdvertise
                ? new String[] {"--" + spec.name() + "=" + value, "--advertise-client-urls=" + value}
                : new String[] {"--" + spec.name() + "=" + value};
            LoadResult viaFlag = ConfigLoader.load(args, Map.of());
            assertInstanceOf(LoadResult.Run.class, viaFlag, spec.name() + " -> " + viaFlag);
            Map<String, String> env = needsAdvertise
                ? Map.of(spec.envName(), value, "ETCD_ADVERTISE_CLIENT_URLS", value)
                : Map.of(spec.envName(), value);
            LoadResult viaEnv = ConfigLoader.load(new String[0], env);
            assertInstanceOf(LoadResult.Run.class, viaEnv, spec.envName() + " -> " + viaEnv);
        }
    }

    /** --import-from starts a one-member cluster; the others are added afterwards. */
    @Test
    void importFromIsForANewClusterOfOne() {
        assertInstanceOf(LoadResult.Run.class, ConfigLoader.load(new String[] {
            "--import-from", "http://10.0.0.5:2379"}, Map.of()));
        assertInstanceOf(LoadResult.Run.class, ConfigLoader.load(new String[] {
            "--import-from", "keys.http"}, Map.of()), "a saved answer in a file");
        assertEquals(1, exit("--import-from", "ftp://10.0.0.5").code());
        assertEquals(1, exit("--import-from", "http://10.0.0.5:2379", "--initial-cluster",
            "default=http://localhost:2380,b=http://10.0.0.2:2380").code());
        assertEquals(1, exit("--import-from", "http://10.0.0.5:2379",
            "--initial-cluster-state", "existing").code());
    }

    /** A value etcd accepts for the flag that keeps the rest of the defaults consistent. */
    private static String sampleValue(FlagSpec spec) {
        return switch (spec.name()) {
            case "listen-client-urls", "advertise-client-urls" -> "http://localhost:2379";
            case "listen-peer-urls", "initial-advertise-peer-urls" -> "http://localhost:2380";
            case "initial-cluster" -> "default=http://localhost:2380";
            case "discovery" -> "https://discovery.etcd.io/abc";
            case "import-from" -> "http://127.0.0.1:2379";
            case "heartbeat-interval" -> "100";
            case "election-timeout" -> "1000";
            case "log-level" -> "debug";
            case "history-size", "max-request-bytes" -> "10";
            case "cipher-suites" -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
            default -> switch (spec.kind()) {
                case BOOL, IGNORED -> "true";
                case UINT, UINT32, INT -> "7";
                case DURATION -> "1m30s";
                case URLS, URLS_OR_STAR -> "http://127.0.0.1:9";
                case CHOICE -> spec.choices().get(spec.choices().size() - 1);
                case STRING, STRINGS -> "x";
            };
        };
    }
}
