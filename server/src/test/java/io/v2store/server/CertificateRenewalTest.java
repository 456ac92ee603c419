package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate renewed in place (its --cert-file and --key-file overwritten, as certbot or
 * cert-manager do) is served from the next connection on, without a restart, as etcd reads the
 * files at every new connection; a pair that does not belong together leaves the last good one
 * served.
 */
class CertificateRenewalTest {
  @TempDir
  Path tmp;

  @Test
  void aRenewedCertificateIsServedFromTheNextConnectionOn() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(tmp.resolve("certs")));
    certs.signed("renewed", "ca",
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n", "rsa:2048");
    Path live = Files.createDirectories(tmp.resolve("live"));
    Path cert = live.resolve("server.pem");
    Path key = live.resolve("server.key");
    Files.copy(certs.file("member.pem"), cert);
    Files.copy(certs.file("member.key"), key);
    SSLContext client = certs.clientContext("ca", null);
    try (ServerProcess member = new ServerProcess("a", tmp.resolve("a"), "https", "http",
        List.of("--cert-file", cert.toString(), "--key-file", key.toString()), client).start()) {
      assertEquals("CN=member", servedSubject(certs, member));

      // a key written before its certificate: the pair does not match, the old one stays
      Files.copy(certs.file("renewed.key"), key, StandardCopyOption.REPLACE_EXISTING);
      assertEquals("CN=member", servedSubject(certs, member));

      Files.copy(certs.file("renewed.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
      assertEquals("CN=renewed", servedSubject(certs, member));
      assertTrue(member.log().contains("loaded the renewed certificate"), member::logTail);
    }
  }

  /**
   * The subject of the certificate the member presents to a new connection (of a new client: one
   * that resumed an earlier session would be shown that session's certificate).
   */
  private static String servedSubject(TestCertificates certs, ServerProcess member)
      throws Exception {
    SSLContext client = certs.clientContext("ca", null);
    URI url = URI.create(member.clientUrl());
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(url.getHost(),
        url.getPort())) {
      socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
      socket.startHandshake();
      X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      return served.getSubjectX500Principal().getName();
    }
  }
}
