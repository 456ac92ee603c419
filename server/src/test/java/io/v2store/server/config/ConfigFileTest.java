package io.v2store.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --config-file, read as etcd 3.4 reads its etcd.conf.yml (messages checked against Debian's etcd). */
class ConfigFileTest {
  @TempDir
  Path tmp;

  private Path write(String yaml) throws Exception {
    Path file = tmp.resolve("etcd.conf.yml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void theFileReplacesFlagsAndEnvironment() throws Exception {
    Path file = write("""
        # etcd's sample layout
        name: 'infra1'
        data-dir: /var/lib/etcd/infra1
        snapshot-count: 5000
        heartbeat-interval: 100
        election-timeout: 1000
        listen-peer-urls: http://10.0.1.11:2380
        listen-client-urls: http://10.0.1.11:2379,http://127.0.0.1:2379
        initial-advertise-peer-urls: http://10.0.1.11:2380
        advertise-client-urls: http://10.0.1.11:2379
        initial-cluster: infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380
        initial-cluster-token: 'etcd-cluster-1'
        initial-cluster-state: 'new'
        enable-v2: true
        strict-reconfig-check: false
        not-a-flag-of-etcd: 7
        client-transport-security:
          cert-file: /etc/ssl/etcd.pem
          key-file: /etc/ssl/etcd-key.pem
          client-cert-auth: false
          trusted-ca-file:
        peer-transport-security:
          cert-file: /etc/ssl/peer.pem
          key-file: /etc/ssl/peer-key.pem
          client-cert-auth: true
          trusted-ca-file: /etc/ssl/ca.pem
        """);
    LoadResult.Run run = ConfigLoaderTest.run(Map.of("ETCD_NAME", "from-env", "ETCD_SNAPSHOT_COUNT", "9"),
        "--config-file", file.toString(), "--name", "from-flag", "--election-timeout", "5000");
    ServerConfig c = run.config();
    assertEquals("infra1", c.name());
    assertEquals(Path.of("/var/lib/etcd/infra1"), c.dataDir());
    assertEquals(5000, c.snapshotCount());
    assertEquals(1000, c.electionTimeoutMillis());
    assertEquals(List.of(URI.create("http://10.0.1.11:2379"), URI.create("http://127.0.0.1:2379")),
        c.listenClientUrls());
    assertEquals(2, c.initialCluster().size());
    assertEquals("etcd-cluster-1", c.initialClusterToken());
    assertEquals(Optional.of(Path.of("/etc/ssl/etcd.pem")), c.tls().certFile());
    assertEquals(Optional.empty(), c.tls().trustedCaFile(), "an empty value keeps the default");
    assertEquals(Optional.of(Path.of("/etc/ssl/peer.pem")), c.tls().peerCertFile());
    assertEquals(Optional.of(Path.of("/etc/ssl/ca.pem")), c.tls().peerTrustedCaFile());
    assertTrue(c.peerClientCertAuth());
    assertEquals(List.of("Loading server configuration from \"" + file + "\". Other configuration command line "
        + "flags and environment variables will be ignored if provided."), run.infos());
  }

  @Test
  void etcdConfigFileInTheEnvironmentWorksToo() throws Exception {
    Path file = write("name: from-file\n");
    assertEquals("from-file", ConfigLoaderTest.run(Map.of("ETCD_CONFIG_FILE", file.toString(),
        "ETCD_NAME", "from-env")).config().name());
  }

  @Test
  void listenClientUrlsWithoutAdvertiseClientUrlsKeepEtcdsDefaultAdvertisement() throws Exception {
    // Debian's etcd starts on this file and advertises http://localhost:2379; the same two
    // settings as flags are refused (ConfigLoaderTest).
    Path file = write("""
        name: cf
        listen-client-urls: http://127.0.0.1:12379
        listen-peer-urls: http://127.0.0.1:12380
        initial-advertise-peer-urls: http://127.0.0.1:12380
        initial-cluster: cf=http://127.0.0.1:12380
        """);
    ServerConfig c = ConfigLoaderTest.run("--config-file", file.toString()).config();
    assertEquals(List.of(URI.create("http://127.0.0.1:12379")), c.listenClientUrls());
    assertEquals(List.of(URI.create("http://localhost:2379")), c.advertiseClientUrls());
  }

  @Test
  void emptyStringsForUrlsAndChoicesKeepEtcdsDefaults() throws Exception {
    // Debian's etcd starts on this file (each "" leaves the default), as a template whose
    // variables came out empty writes it.
    Path file = write("""
        listen-client-urls: ""
        advertise-client-urls: ""
        listen-peer-urls: ''
        initial-advertise-peer-urls: ""
        listen-metrics-urls: ""
        cors: ""
        host-whitelist: ""
        initial-cluster-state: ""
        proxy: ""
        discovery-fallback: ""
        """);
    ServerConfig c = ConfigLoaderTest.run("--config-file", file.toString()).config();
    assertEquals(List.of(URI.create("http://localhost:2379")), c.listenClientUrls());
    assertEquals(List.of(URI.create("http://localhost:2379")), c.advertiseClientUrls());
    assertEquals(List.of(URI.create("http://localhost:2380")), c.listenPeerUrls());
    assertEquals(List.of(URI.create("http://localhost:2380")), c.initialAdvertisePeerUrls());
    assertEquals(List.of(), c.listenMetricsUrls());
    assertEquals(List.of("*"), c.cors());
    assertEquals(ClusterState.NEW, c.initialClusterState());
    assertEquals(false, c.proxy().on());
    assertTrue(c.proxy().discoveryFallback());
  }

  @Test
  void aBadUrlProxyOrFallbackInTheFileIsEtcdsBareLine() throws Exception {
    // Debian's etcd exits 1 with just this line: it fails as it reads the file, before it logs
    // that it loads it and without "error verifying flags"
    assertEquals("unexpected error setting up listen-client-urls: URL scheme must be http, https, unix, or unixs: foo\n",
        ConfigLoaderTest.exit("--config-file", write("listen-client-urls: foo\n").toString()).stderr());
    assertEquals("unexpected error setting up proxyFlag: invalid value\n",
        ConfigLoaderTest.exit("--config-file", write("proxy: bogus\n").toString()).stderr());
    assertEquals("unexpected error setting up discovery-fallback flag: invalid value\n",
        ConfigLoaderTest.exit("--config-file", write("discovery-fallback: bogus\n").toString()).stderr());
    LoadResult.Exit state = ConfigLoaderTest.exit("--config-file", write("initial-cluster-state: bogus\n").toString());
    assertTrue(state.stderr().endsWith("etcdmain: error verifying flags, unexpected clusterState \"bogus\". "
        + "See 'etcd --help'.\n"), state.stderr());
  }

  @Test
  void wholeNumbersWrittenAsFloatsAreTakenAsEtcdTakesThem() throws Exception {
    // YAML reads 1e3 and 5.0 as floats; etcd's decoder takes them as the integers they are
    ServerConfig c = ConfigLoaderTest.run("--config-file",
        write("snapshot-count: 1e3\nheartbeat-interval: 50.0\nelection-timeout: 5.0e2\n").toString()).config();
    assertEquals(1000, c.snapshotCount());
    assertEquals(50, c.heartbeatIntervalMillis());
    assertEquals(500, c.electionTimeoutMillis());
    // and refuses a fraction with its value in the message, as Debian's etcd does
    assertTrue(ConfigLoaderTest.exit("--config-file", write("snapshot-count: 1.5\n").toString()).stderr()
        .contains("json: cannot unmarshal number 1.5 into Go struct field configYAML.snapshot-count of type uint64."));
  }

  @Test
  void anEmptyFileIsEtcdsDefaults() throws Exception {
    assertEquals("default", ConfigLoaderTest.run("--config-file", write("").toString()).config().name());
  }

  @Test
  void badFilesStopTheStartWithEtcdsWords() throws Exception {
    LoadResult.Exit missing = ConfigLoaderTest.exit("--config-file", "/nonexistent.yml");
    assertEquals(1, missing.code());
    assertEquals("etcdmain: Loading server configuration from \"/nonexistent.yml\". Other configuration command "
        + "line flags and environment variables will be ignored if provided.\n"
        + "etcdmain: error verifying flags, open /nonexistent.yml: no such file or directory. See 'etcd --help'.\n",
        missing.stderr());

    LoadResult.Exit syntax = ConfigLoaderTest.exit("--config-file", write("name: [oops\n").toString());
    assertTrue(syntax.stderr().contains("error verifying flags, error converting YAML to JSON: "), syntax.stderr());

    LoadResult.Exit type = ConfigLoaderTest.exit("--config-file", write("name: cf\nsnapshot-count: abc\n").toString());
    assertTrue(type.stderr().contains("error verifying flags, error unmarshaling JSON: while decoding JSON: json: "
        + "cannot unmarshal string into Go struct field configYAML.snapshot-count of type uint64. See 'etcd --help'."),
        type.stderr());

    // Values of the right type that etcd refuses as it sets itself up (Debian's etcd's words).
    for (String[] refused : new String[][] {
        {"listen-client-urls: foo\n", "unexpected error setting up listen-client-urls: "
            + "URL scheme must be http, https, unix, or unixs: foo"},
        {"initial-cluster-state: bogus\n", "unexpected clusterState \"bogus\""},
        {"proxy: bogus\n", "unexpected error setting up proxyFlag: invalid value"},
        {"discovery-fallback: bogus\n", "unexpected error setting up discovery-fallback flag: invalid value"},
        {"heartbeat-interval: -5\n", "cannot unmarshal number -5 into Go struct field configYAML.heartbeat-interval"},
        {"max-request-bytes: 99999999999999999999999\n", "cannot unmarshal number"}}) {
      LoadResult.Exit e = ConfigLoaderTest.exit("--config-file", write(refused[0]).toString());
      assertEquals(1, e.code(), refused[0]);
      assertTrue(e.stderr().contains(refused[1]), e.stderr());
    }

    LoadResult.Exit bool = ConfigLoaderTest.exit("--config-file", write("enable-v2: 'yes'\n").toString());
    assertTrue(bool.stderr().contains("cannot unmarshal string into Go struct field configYAML.enable-v2 of type bool"),
        bool.stderr());
  }
}
