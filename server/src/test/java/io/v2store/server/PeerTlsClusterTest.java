package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members with https:// peer URLs, --peer-client-cert-auth and the peer CA: they form a
 * cluster and replicate; a member whose certificate comes from another CA is refused by its
 * peers, with a log line saying so, and never joins the quorum.
 */
class PeerTlsClusterTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void threeMembersWithHttpsPeersFormAClusterAndReplicate() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("c")));
    List<ServerProcess> members = members(certs, "member", "member", "member");
    try {
      startTogether(members, List.of(0, 1, 2));
      writeAndAwait(members.get(0), "secured", "over-tls", members);
      String log = members.get(0).log();
      assertTrue(log.contains("with TLS, peer certificates required"), log);
    } finally {
      closeAll(members);
    }
  }

  @Test
  void aMemberWithACertificateFromAnotherCaIsRefusedByItsPeers() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("c")));
    List<ServerProcess> members = members(certs, "member", "member", "stranger");
    try {
      startTogether(members, List.of(0, 1));
      ServerProcess stranger = members.get(2);
      awaitTrue(() -> members.get(0).log().contains("rejected peer connection from /127.0.0.1:"),
          "n1 never logged refusing the stranger");
      String refusal = members.get(0).log().lines()
          .filter(l -> l.contains("rejected peer connection")).findFirst().orElseThrow();
      assertTrue(refusal.contains("--peer-trusted-ca-file"), refusal);
      awaitTrue(() -> stranger.log().contains("TLS handshake failed"),
          "the stranger never logged its refused handshakes");
      // the stranger has no quorum: it never serves clients
      assertTrue(stranger.isAlive(), stranger::logTail);
      assertTrue(!stranger.log().contains("serving clients"), stranger::logTail);
    } finally {
      closeAll(members);
    }
  }

  @Test
  void aMemberWhoseCertificateLacksTheAllowedCommonNameIsRefused() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("c")));
    // same CA, same host, another common name
    certs.signed("othercn", "ca", SAME_HOST, "rsa:2048");
    assertThirdMemberRefused(certs, List.of("--peer-cert-allowed-cn", "member"), "othercn",
        "client certificate authentication failed");
  }

  @Test
  void aMemberWhoseCertificateIsRevokedIsRefused() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("c")));
    certs.signed("member3", "ca", SAME_HOST, "rsa:2048");
    Path crl = certs.revocationList("ca", "crl.pem", "member3");
    assertThirdMemberRefused(certs, List.of("--peer-crl-file", crl.toString()), "member3",
        "transport: certificate serial ");
  }

  private static final String SAME_HOST =
      "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n";

  /**
   * n1 and n2 with certificate "member", n3 with {@code third}, all with {@code flags}: n1 and
   * n2 replicate, n1 logs refusing n3 for {@code reason}, and n3 never serves.
   */
  private void assertThirdMemberRefused(TestCertificates certs, List<String> flags, String third,
      String reason) throws Exception {
    List<ServerProcess> members = members(certs, flags, "member", "member", third);
    try {
      startTogether(members, List.of(0, 1));
      awaitTrue(() -> members.get(0).log().contains("rejected peer connection from /127.0.0.1:"),
          "n1 never logged refusing n3");
      String refusal = members.get(0).log().lines()
          .filter(l -> l.contains("rejected peer connection")).findFirst().orElseThrow();
      assertTrue(refusal.contains(reason), refusal);
      writeAndAwait(members.get(1), "two", "without-n3", members.subList(0, 1));
      // n3's peers refuse its calls; it never hears from a leader it can answer, never serves
      assertTrue(members.get(2).isAlive(), members.get(2)::logTail);
      assertTrue(!members.get(2).log().contains("serving clients"), members.get(2)::logTail);
    } finally {
      closeAll(members);
    }
  }

  /** n1..n3 with https peers; member i uses certificate {@code certNames[i]}. */
  private List<ServerProcess> members(TestCertificates certs, String... certNames)
      throws Exception {
    return members(certs, List.of(), certNames);
  }

  private List<ServerProcess> members(TestCertificates certs, List<String> extraFlags,
      String... certNames) throws Exception {
    List<ServerProcess> members = new ArrayList<>();
    for (int i = 0; i < certNames.length; i++) {
      String name = "n" + (i + 1);
      List<String> flags = new ArrayList<>(List.of(
          "--peer-cert-file", certs.path(certNames[i] + ".pem"),
          "--peer-key-file", certs.path(certNames[i] + ".key"),
          "--peer-trusted-ca-file", certs.path("ca.pem"), "--peer-client-cert-auth",
          "--heartbeat-interval", "50", "--election-timeout", "500"));
      flags.addAll(extraFlags);
      members.add(new ServerProcess(name, dir.resolve(name), "http", "https", flags, null));
    }
    return members;
  }

  /** Launches every member, then waits for the ones listed to serve. */
  private static void startTogether(List<ServerProcess> members, List<Integer> healthy)
      throws Exception {
    StringBuilder cluster = new StringBuilder();
    for (ServerProcess m : members) {
      cluster.append(cluster.length() == 0 ? "" : ",").append(m.name()).append('=')
          .append(m.peerUrl());
    }
    for (ServerProcess m : members) {
      m.launch(cluster.toString(), "new");
    }
    for (int i : healthy) {
      members.get(i).awaitHealthy();
    }
  }

  /** Writes key=value through {@code to}; waits until each of {@code readers} serves it. */
  private static void writeAndAwait(ServerProcess to, String key, String value,
      List<ServerProcess> readers) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(
        URI.create(to.clientUrl() + "/v2/keys/" + key))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, put.statusCode(), put::body);
    for (ServerProcess m : readers) {
      awaitTrue(() -> get(http, m.clientUrl() + "/v2/keys/" + key).contains(value),
          m.name() + " never saw the write");
    }
  }

  private static String get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception notYet) {
      return "";
    }
  }

  private static void awaitTrue(Callable<Boolean> condition, String failure) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll interval
    }
    assertTrue(condition.call(), failure);
  }

  private static void closeAll(List<ServerProcess> members) throws Exception {
    for (ServerProcess m : members) {
      m.close();
    }
  }
}
