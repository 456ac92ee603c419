package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --client-cert-allowed-hostname and --client-crl-file, ours beside Debian's etcd with the same
 * flags and certificates: the same clients get in and the same are refused, and a CRL file
 * replaced while both run takes effect on both without a restart.
 */
class ClientCertificateRulesTest {
  private static final String CLIENT = "extendedKeyUsage=clientAuth\n";

  @TempDir
  Path tmp;

  @Test
  void theSameClientCertificatesAreAcceptedAndRefusedAsByEtcd() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(tmp.resolve("c")));
    certs.signed("app", "ca", "subjectAltName=DNS:app.example.com\n" + CLIENT, "rsa:2048");
    certs.signed("app2", "ca", "subjectAltName=DNS:app.example.com\n" + CLIENT, "rsa:2048");
    certs.signed("other", "ca", "subjectAltName=DNS:other.example.com\n" + CLIENT, "rsa:2048");
    Path crl = certs.revocationList("ca", "crl.pem", "app2");
    List<String> flags = List.of("--cert-file", certs.path("member.pem"),
        "--key-file", certs.path("member.key"), "--trusted-ca-file", certs.path("ca.pem"),
        "--client-cert-allowed-hostname", "app.example.com", "--client-crl-file", crl.toString());
    List<String> clients = List.of("app", "app2", "other", "client");

    String theirs = "https://127.0.0.1:" + LoopbackPorts.next();
    String theirPlain = "http://127.0.0.1:" + LoopbackPorts.next();
    String peer = "http://127.0.0.1:" + LoopbackPorts.next();
    List<String> theirFlags = new java.util.ArrayList<>(List.of("--enable-v2=true", "--name", "e",
        "--data-dir", tmp.resolve("e").toString(), "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer, "--initial-cluster", "e=" + peer,
        // later flags win in Go: a plain listener too, for DebianEtcd's readiness poll
        "--listen-client-urls", theirPlain + "," + theirs));
    theirFlags.addAll(flags);
    try (ServerProcess ours = new ServerProcess("n1", tmp.resolve("n1"), "https", "http", flags,
            certs.clientContext("ca", "app")).start();
        DebianEtcd etcd = DebianEtcd.start(tmp.resolve("e.log"), theirPlain, theirFlags)) {
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("app", "200");
      expected.put("app2", "refused"); // revoked
      expected.put("other", "refused"); // names another host
      expected.put("client", "refused"); // names no host
      assertEquals(expected, outcomes(certs, ours.clientUrl(), clients), "ours");
      assertEquals(expected, outcomes(certs, theirs, clients), "Debian's etcd");
      String log = ours.log();
      assertTrue(log.contains("(error \"client certificate authentication failed\""), log);
      assertTrue(log.contains("(error \"transport: certificate serial "), log);

      // a new list revokes app instead of app2: both read it at the next connection
      Path next = certs.revocationList("ca", "crl-next.pem", "app");
      Files.move(next, crl, StandardCopyOption.REPLACE_EXISTING);
      expected.put("app", "refused");
      expected.put("app2", "200");
      assertEquals(expected, outcomes(certs, ours.clientUrl(), clients), "ours, new CRL");
      assertEquals(expected, outcomes(certs, theirs, clients), "Debian's etcd, new CRL");
    }
  }

  /** For each client certificate: the status of GET /v2/keys/ with it, or "refused". */
  private static Map<String, String> outcomes(TestCertificates certs, String url,
      List<String> clients) throws Exception {
    Map<String, String> result = new LinkedHashMap<>();
    for (String name : clients) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(certs.clientContext("ca", name)).connectTimeout(Duration.ofSeconds(5))
          .build();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v2/keys/"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        result.put(name, String.valueOf(r.statusCode()));
      } catch (IOException refused) {
        result.put(name, "refused");
      }
    }
    return result;
  }
}
