package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.server.tls.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key files openssl writes (PKCS#8, PKCS#1 RSA, SEC1 EC) all load and match their certs. */
class KeyFormatsTlsTest {
  @TempDir
  Path dir;

  @Test
  void rsaAndEcKeysInEveryFormOpensslWrites() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    String member = "subjectAltName=IP:127.0.0.1\n";
    certs.signed("ec", "ca", member, "ec:" + ecParams(certs));
    // PKCS#1 and SEC1: the "traditional" forms openssl rsa/ec write
    certs.openssl("rsa", "-in", "member.key", "-out", "member-pkcs1.key", "-traditional");
    certs.openssl("ec", "-in", "ec.key", "-out", "ec-sec1.key");
    assertTrue(Files.readString(certs.file("member-pkcs1.key")).contains("BEGIN RSA PRIVATE KEY"));
    assertTrue(Files.readString(certs.file("ec-sec1.key")).contains("BEGIN EC PRIVATE KEY"));
    assertTrue(Files.readString(certs.file("ec.key")).contains("BEGIN PRIVATE KEY"));

    X509Certificate rsaCert = PemFiles.certificates(certs.file("member.pem")).get(0);
    X509Certificate ecCert = PemFiles.certificates(certs.file("ec.pem")).get(0);
    for (String key : new String[] {"member.key", "member-pkcs1.key"}) {
      PrivateKey k = PemFiles.privateKey(certs.file(key));
      assertEquals("RSA", k.getAlgorithm(), key);
      PemFiles.checkPair(k, rsaCert);
    }
    for (String key : new String[] {"ec.key", "ec-sec1.key"}) {
      PrivateKey k = PemFiles.privateKey(certs.file(key));
      assertEquals("EC", k.getAlgorithm(), key);
      PemFiles.checkPair(k, ecCert);
    }
    IOException mismatch = assertThrows(IOException.class,
        () -> PemFiles.checkPair(PemFiles.privateKey(certs.file("client.key")), rsaCert));
    assertEquals("tls: private key does not match public key", mismatch.getMessage());
    IOException missing = assertThrows(IOException.class,
        () -> PemFiles.certificates(certs.file("nope.pem")));
    assertEquals("open " + certs.file("nope.pem") + ": no such file or directory",
        missing.getMessage());
  }

  private static String ecParams(TestCertificates certs) throws Exception {
    certs.openssl("ecparam", "-name", "prime256v1", "-out", "p256.pem");
    return certs.path("p256.pem");
  }
}
