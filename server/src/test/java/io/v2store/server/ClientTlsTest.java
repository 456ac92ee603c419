package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.v2store.testkit.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One member serving clients over https with --trusted-ca-file and --client-cert-auth, and a
 * plain http metrics listener beside it: curl, Debian's etcdctl and ours get in with a client
 * certificate from the CA, and are refused without one or with one from another CA, each refusal
 * logged by the server with who and why.
 */
class ClientTlsTest {
  private static final String DEBIAN_ETCDCTL = "/usr/bin/etcdctl";

  @TempDir
  static Path dir;
  static TestCertificates certs;
  static ServerProcess server;
  static int metricsPort;

  @BeforeAll
  static void startTlsMember() throws Exception {
    certs = TestCertificates.create(Files.createDirectories(dir.resolve("certs")));
    metricsPort = LoopbackPorts.next();
    server = new ServerProcess("n1", dir.resolve("n1"), "https", "http", List.of(
        "--cert-file", certs.path("member.pem"), "--key-file", certs.path("member.key"),
        "--trusted-ca-file", certs.path("ca.pem"), "--client-cert-auth",
        "--listen-metrics-urls", "http://127.0.0.1:" + metricsPort),
        certs.clientContext("ca", "client")).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static CommandResult curl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    cmd.addAll(List.of(args));
    return CommandResult.run(Map.of(), cmd);
  }

  @Test
  void curlWithAClientCertificateFromTheCaReadsAndWrites() throws Exception {
    String url = server.clientUrl() + "/v2/keys/curl";
    CommandResult put = curl("--cacert", certs.path("ca.pem"), "--cert", certs.path("client.pem"),
        "--key", certs.path("client.key"), "-XPUT", url, "-d", "value=secured");
    assertEquals(0, put.exit(), put::toString);
    assertTrue(put.out().contains("\"value\":\"secured\""), put::toString);
    CommandResult get = curl("--cacert", certs.path("ca.pem"), "--cert", certs.path("client.pem"),
        "--key", certs.path("client.key"), url);
    assertTrue(get.out().contains("\"action\":\"get\""), get::toString);
  }

  @Test
  void curlWithoutACertificateIsRefusedAndLogged() throws Exception {
    CommandResult r = curl("--cacert", certs.path("ca.pem"), server.clientUrl() + "/version");
    assertNotEquals(0, r.exit(), r::toString);
    awaitLog("client didn't provide a certificate");
  }

  @Test
  void curlWithACertificateFromAnotherCaIsRefusedAndLogged() throws Exception {
    CommandResult r = curl("--cacert", certs.path("ca.pem"), "--cert",
        certs.path("stranger.pem"), "--key", certs.path("stranger.key"),
        server.clientUrl() + "/version");
    assertNotEquals(0, r.exit(), r::toString);
    awaitLog("tls: failed to verify client certificate: x509: certificate signed by unknown "
        + "authority");
  }

  @Test
  void curlNotTrustingTheServersCaRefusesIt() throws Exception {
    CommandResult r = curl("--cacert", certs.path("otherca.pem"), "--cert",
        certs.path("client.pem"), "--key", certs.path("client.key"),
        server.clientUrl() + "/version");
    assertEquals(60, r.exit(), () -> "curl's 'peer certificate cannot be authenticated'\n" + r);
  }

  @Test
  void plainHttpMetricsListenerServesBesideTheHttpsOne() throws Exception {
    CommandResult r = curl("http://127.0.0.1:" + metricsPort + "/health");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("\"health\":\"true\""), r::toString);
  }

  @Test
  void debianEtcdctlWithTheClientCertificateSetsAndGets() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(DEBIAN_ETCDCTL)), "Debian's etcd-client is missing");
    CommandResult set = etcdctl(DEBIAN_ETCDCTL, "client", "ca", "set", "/debian", "v1");
    assertEquals(0, set.exit(), set::toString);
    assertEquals("v1\n", set.out());
    CommandResult get = etcdctl(DEBIAN_ETCDCTL, "client", "ca", "get", "/debian");
    assertEquals("v1\n", get.out(), get::toString);
  }

  @Test
  void debianEtcdctlIsRefusedWithoutAnAcceptedCertificate() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(DEBIAN_ETCDCTL)), "Debian's etcd-client is missing");
    CommandResult stranger = etcdctl(DEBIAN_ETCDCTL, "stranger", "ca", "get", "/debian");
    assertEquals(4, stranger.exit(), stranger::toString);
    assertTrue(withoutGoReadLoopRace(stranger.err()).contains("error #0: remote error: tls: "),
        stranger::toString);
    CommandResult untrusted = etcdctl(DEBIAN_ETCDCTL, "client", "otherca", "get", "/debian");
    assertEquals(4, untrusted.exit(), untrusted::toString);
    assertTrue(untrusted.err().contains("x509: certificate signed by unknown authority"),
        untrusted::toString);
  }

  @Test
  void ourEtcdctlMatchesDebiansOnTheAcceptedAndRefusedPaths() throws Exception {
    Path ours = ourEtcdctl();
    CommandResult set = etcdctl(ours.toString(), "client", "ca", "set", "/ours", "v2");
    assertEquals(0, set.exit(), set::toString);
    assertEquals("v2\n", set.out());
    // a watch's long poll goes through a socket factory of its own (TCP keep-alive): from the
    // set's index, answered from the history
    CommandResult json = etcdctl(ours.toString(), "client", "ca", "-o", "json", "get", "/ours");
    long setAt = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out())
        .path("node").path("modifiedIndex").asLong();
    assertTrue(setAt > 0, json::toString);
    CommandResult watched = etcdctl(ours.toString(), "client", "ca", "watch", "--after-index",
        Long.toString(setAt - 1), "/ours");
    assertEquals(0, watched.exit(), watched::toString);
    assertEquals("v2\n", watched.out());
    CommandResult stranger = etcdctl(ours.toString(), "stranger", "ca", "get", "/ours");
    assertEquals(4, stranger.exit(), stranger::toString);
    assertTrue(stranger.err().contains("error #0: remote error: tls: "), stranger::toString);
    CommandResult untrusted = etcdctl(ours.toString(), "client", "otherca", "get", "/ours");
    assertEquals(4, untrusted.exit(), untrusted::toString);
    assertTrue(untrusted.err().contains("x509: certificate signed by unknown authority"),
        untrusted::toString);
    // the files through the environment, as ETCDCTL_*_FILE
    CommandResult viaEnv = CommandResult.run(Map.of("ETCDCTL_API", "2",
        "ETCDCTL_CA_FILE", certs.path("ca.pem"), "ETCDCTL_CERT_FILE", certs.path("client.pem"),
        "ETCDCTL_KEY_FILE", certs.path("client.key")),
        List.of(ours.toString(), "--endpoints", server.clientUrl(), "get", "/ours"));
    assertEquals("v2\n", viaEnv.out(), viaEnv::toString);
  }

  @Test
  void ourEtcdctlSpeakingHttpToTheHttpsPortFailsAsDebiansDoes() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(DEBIAN_ETCDCTL)), "Debian's etcd-client is missing");
    Path ours = ourEtcdctl();
    String plain = server.clientUrl().replace("https://", "http://");
    List<CommandResult> runs = new ArrayList<>();
    for (String binary : List.of(DEBIAN_ETCDCTL, ours.toString())) {
      runs.add(CommandResult.run(Map.of("ETCDCTL_API", "2"),
          List.of(binary, "--endpoints", plain, "get", "/ours")));
    }
    // Go's "EOF" is no connection error: the failed sync goes on to the get, which exits 4
    assertEquals(4, runs.get(0).exit(), runs.get(0)::toString);
    assertEquals(runs.get(0).exit(), runs.get(1).exit(), runs.get(1)::toString);
    assertEquals(runs.get(0).err(), runs.get(1).err());
  }

  @Test
  void ourEtcdctlWithoutACertificateIsRefusedAsDebiansIs() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(DEBIAN_ETCDCTL)), "Debian's etcd-client is missing");
    Path ours = ourEtcdctl();
    List<CommandResult> runs = new ArrayList<>();
    // ours three times: under TLS 1.3 the server's refusal raced the request, and lost mostly
    for (String binary : List.of(DEBIAN_ETCDCTL, ours.toString(), ours.toString(), ours.toString())) {
      runs.add(CommandResult.run(Map.of("ETCDCTL_API", "2"), List.of(binary, "--endpoints",
          server.clientUrl(), "--ca-file", certs.path("ca.pem"), "get", "/ours")));
    }
    assertEquals(4, runs.get(0).exit(), runs.get(0)::toString);
    String debians = withoutGoReadLoopRace(runs.get(0).err());
    assertTrue(debians.contains("error #0: remote error: tls: bad certificate"),
        runs.get(0)::toString);
    for (CommandResult run : runs.subList(1, runs.size())) {
      assertEquals(runs.get(0).exit(), run.exit(), run::toString);
      assertEquals(debians, run.err());
    }
  }

  /**
   * Debian's etcdctl, a Go client, sometimes names where it met the server's alert
   * ("readLoopPeekFailLocked: "): a race between its read loop and its request's write. On a
   * machine with three busy loops beside it, 1 run in 100 against ours, none in 300 against
   * etcd's (whose alert may come sooner). A CI run met it; our etcdctl need not copy it.
   */
  private static String withoutGoReadLoopRace(String err) {
    return err.replace("error #0: readLoopPeekFailLocked: remote error: ",
        "error #0: remote error: ");
  }

  /** Our etcdctl, skipping the test when it is not packaged. */
  private static Path ourEtcdctl() throws Exception {
    Path ours = Path.of(System.getProperty("user.dir")).resolve("../bin/etcdctl").normalize();
    boolean built;
    try (var jars = Files.list(ours.getParent().resolve("../etcdctl/target").normalize())) {
      built = jars.anyMatch(p -> p.getFileName().toString().matches("etcdctl-.*\\.jar"));
    } catch (java.io.IOException none) {
      built = false;
    }
    assumeTrue(built, "our etcdctl is not packaged (mvn package -pl etcdctl)");
    return ours;
  }

  private static CommandResult etcdctl(String binary, String cert, String ca, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(binary, "--endpoints", server.clientUrl(),
        "--ca-file", certs.path(ca + ".pem"), "--cert-file", certs.path(cert + ".pem"),
        "--key-file", certs.path(cert + ".key")));
    cmd.addAll(List.of(args));
    return CommandResult.run(Map.of("ETCDCTL_API", "2"), cmd);
  }

  /** The server logs a refusal after the client has gone: poll for it with a deadline. */
  private static void awaitLog(String reason) throws Exception {
    BooleanSupplier logged = () -> {
      try {
        return server.log().lines().anyMatch(line -> line.contains("rejected connection from "
            + "\"127.0.0.1:") && line.contains(reason));
      } catch (java.io.IOException e) {
        return false;
      }
    };
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!logged.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      server.awaitExit(Duration.ofMillis(50));
    }
    assertTrue(logged.getAsBoolean(), () -> "no rejection line with '" + reason + "':\n"
        + server.logTail());
  }
}
