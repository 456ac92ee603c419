package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --cipher-suites on an https client listener, as Go applies it: TLS 1.2 clients get only the
 * suites listed; TLS 1.3, whose suites Go does not let one choose, still works.
 */
class CipherSuitesTlsTest {
  @TempDir
  Path tmp;

  @Test
  void onlyTheListedSuitesServeTls12AndTls13StillWorks() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(tmp.resolve("certs")));
    try (ServerProcess member = new ServerProcess("a", tmp.resolve("a"), "https", "http", List.of(
            "--cert-file", certs.path("member.pem"), "--key-file", certs.path("member.key"),
            "--cipher-suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        certs.clientContext("ca", null)).start()) {
      String url = member.clientUrl() + "/version";
      CommandResult listed = curl(certs, "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256", url);
      assertEquals(0, listed.exit(), listed::toString);
      assertTrue(listed.out().contains("etcdserver"), listed::toString);
      CommandResult other = curl(certs, "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES256-GCM-SHA384", url);
      assertNotEquals(0, other.exit(), "a suite not listed must be refused: " + other);
      CommandResult tls13 = curl(certs, "--tlsv1.3", url);
      assertEquals(0, tls13.exit(), tls13::toString);
    }
  }

  private static CommandResult curl(TestCertificates certs, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--cacert", certs.path("ca.pem")));
    cmd.addAll(List.of(args));
    return CommandResult.run(Map.of(), cmd);
  }
}
