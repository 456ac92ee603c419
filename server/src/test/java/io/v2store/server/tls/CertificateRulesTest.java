package io.v2store.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.server.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks behind --peer-cert-allowed-cn, --peer-cert-allowed-hostname,
 * --client-cert-allowed-hostname, the CRL files and the peer port's match of a caller's address,
 * on certificates openssl makes: what etcd (Go's crypto/x509) accepts and refuses.
 */
class CertificateRulesTest {
  private static final String SERVER_AND_CLIENT = "extendedKeyUsage=serverAuth,clientAuth\n";

  @TempDir
  static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.create(Files.createDirectories(dir.resolve("c")));
    certs.signed("app", "ca", "subjectAltName=DNS:app.example.com\n" + SERVER_AND_CLIENT,
        "rsa:2048");
    certs.signed("wild", "ca", "subjectAltName=DNS:*.example.com\n" + SERVER_AND_CLIENT,
        "rsa:2048");
    certs.signed("local", "ca", "subjectAltName=DNS:localhost\n" + SERVER_AND_CLIENT,
        "rsa:2048");
    certs.signed("nowhere", "ca",
        "subjectAltName=DNS:name-that-does-not-resolve.invalid\n" + SERVER_AND_CLIENT, "rsa:2048");
    certs.signed("v6", "ca", "subjectAltName=IP:::1\n" + SERVER_AND_CLIENT, "rsa:2048");
  }

  private static X509Certificate cert(String name) throws Exception {
    return PemFiles.certificates(certs.file(name + ".pem")).get(0);
  }

  private static CertificateRules cn(String cn) {
    return new CertificateRules(Optional.of(cn), Optional.empty(), Optional.empty(), false);
  }

  private static CertificateRules hostname(String host) {
    return new CertificateRules(Optional.empty(), Optional.of(host), Optional.empty(), false);
  }

  private static CertificateRules callerAddress() {
    return new CertificateRules(Optional.empty(), Optional.empty(), Optional.empty(), true);
  }

  @Test
  void theCommonNameMustBeTheAllowedOneExactly() throws Exception {
    assertEquals("member", CertificateNames.commonName(cert("member")));
    cn("member").checkNames(cert("member"));
    CertificateException refused = assertThrows(CertificateException.class,
        () -> cn("Member").checkNames(cert("member")));
    assertEquals("client certificate authentication failed", refused.getMessage());
    assertThrows(CertificateException.class, () -> cn("member").checkNames(cert("client")));
  }

  @Test
  void anAllowedHostnameIsMatchedAgainstTheAlternativeNamesOnly() throws Exception {
    hostname("127.0.0.1").checkNames(cert("member"));
    hostname("[127.0.0.1]").checkNames(cert("member"));
    hostname("APP.Example.com.").checkNames(cert("app"));
    hostname("::1").checkNames(cert("v6"));
    hostname("0:0:0:0:0:0:0:1").checkNames(cert("v6"));
    // the common name is not a host name (Go ignores it since 1.15)
    assertThrows(CertificateException.class, () -> hostname("member").checkNames(cert("member")));
    assertThrows(CertificateException.class, () -> hostname("127.0.0.2").checkNames(cert("member")));
    assertThrows(CertificateException.class,
        () -> hostname("www.app.example.com").checkNames(cert("app")));
    assertThrows(CertificateException.class, () -> hostname("127.0.0.1").checkNames(cert("app")));
  }

  @Test
  void aWildcardStandsForExactlyOneLeftmostLabel() throws Exception {
    assertTrue(CertificateNames.namesHost(cert("wild"), "etcd1.example.com"));
    assertFalse(CertificateNames.namesHost(cert("wild"), "example.com"));
    assertFalse(CertificateNames.namesHost(cert("wild"), "a.etcd1.example.com"));
    assertFalse(CertificateNames.namesHost(cert("wild"), ".example.com"));
  }

  @Test
  void theCnAndTheHostnameCannotBothBeRequired() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CertificateRules(Optional.of("x"), Optional.of("y"), Optional.empty(), false));
    assertEquals("AllowedCN and AllowedHostname are mutually exclusive (cn=\"x\", hostname=\"y\")",
        e.getMessage());
  }

  @Test
  void aCallerMustCallFromAnAddressItsCertificateNames() throws Exception {
    X509Certificate[] member = {cert("member")};
    callerAddress().checkCaller(member, "127.0.0.1");
    CertificateException wrongIp = assertThrows(CertificateException.class,
        () -> callerAddress().checkCaller(member, "10.1.2.3"));
    assertEquals("x509: certificate is valid for 127.0.0.1, not 10.1.2.3", wrongIp.getMessage());
    // a DNS name is resolved (localhost is in every /etc/hosts)
    callerAddress().checkCaller(new X509Certificate[] {cert("local")}, "127.0.0.1");
    CertificateException unresolved = assertThrows(CertificateException.class,
        () -> callerAddress().checkCaller(new X509Certificate[] {cert("nowhere")}, "127.0.0.1"));
    assertTrue(unresolved.getMessage().contains("does not match any of DNSNames"),
        unresolved.getMessage());
    // a certificate naming no host at all is not matched, as etcd's
    callerAddress().checkCaller(new X509Certificate[] {cert("client")}, "10.1.2.3");
    // an unknown caller is refused, never waved through
    assertThrows(CertificateException.class, () -> callerAddress().checkCaller(member, null));
    // and without the rule, anything goes
    new CertificateRules(Optional.empty(), Optional.empty(), Optional.empty(), false)
        .checkCaller(member, "10.1.2.3");
  }

  @Test
  void aRevokedSerialIsRefusedAndANewListTakesEffectWithoutARestart() throws Exception {
    Path crl = certs.revocationList("ca", "crl.pem", "client");
    RevocationList list = new RevocationList(crl);
    X509Certificate client = cert("client");
    CertificateException revoked = assertThrows(CertificateException.class,
        () -> list.check(new X509Certificate[] {client}));
    assertEquals("transport: certificate serial " + RevocationList.goHex(client.getSerialNumber())
        + " revoked", revoked.getMessage());
    list.check(new X509Certificate[] {cert("member")});

    // the operator replaces the file: client is back, member revoked
    Path next = certs.revocationList("ca", "crl2.pem", "member");
    Files.move(next, crl, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    list.check(new X509Certificate[] {client});
    assertThrows(CertificateException.class,
        () -> list.check(new X509Certificate[] {cert("member")}));
  }

  @Test
  void aRevocationListThatCannotBeReadRefusesEveryone() throws Exception {
    RevocationList missing = new RevocationList(dir.resolve("no-such.pem"));
    CertificateException e = assertThrows(CertificateException.class,
        () -> missing.check(new X509Certificate[] {cert("member")}));
    assertEquals("open " + dir.resolve("no-such.pem") + ": no such file or directory",
        e.getMessage());
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a CRL\n");
    assertThrows(CertificateException.class,
        () -> new RevocationList(garbage).check(new X509Certificate[] {cert("member")}));
  }

  @Test
  void serialsPrintAsEtcdPrintsThem() {
    assertEquals("0abc", RevocationList.goHex(java.math.BigInteger.valueOf(0xabc)));
    assertEquals("6fa9", RevocationList.goHex(java.math.BigInteger.valueOf(0x6fa9)));
  }
}
