package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.v2store.server.tls.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time with the openssl CLI: a CA, a member certificate for
 * 127.0.0.1 (usable as server and as client, like etcd's peer certificates), a client
 * certificate, and a second, unrelated CA with its own member certificate for the refused paths.
 * Without openssl the tests are skipped, unless CI is set, where that is a failure. They are
 * made once per test JVM and copied into each directory asked for, which is then the test's own.
 */
public final class TestCertificates {
  public final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Skips (or, under CI, fails) when openssl is not installed. */
  public static TestCertificates create(Path dir) throws Exception {
    boolean present = Files.isExecutable(Path.of("/usr/bin/openssl"))
        || Files.isExecutable(Path.of("/usr/local/bin/openssl"));
    if (System.getenv("CI") == null || System.getenv("CI").isEmpty()) {
      assumeTrue(present, "openssl is not installed: the TLS tests need it to make certificates");
    } else if (!present) {
      throw new IllegalStateException("CI is set but openssl is missing: install Debian's openssl");
    }
    Path made = madeOnce();
    try (java.util.stream.Stream<Path> files = Files.list(made)) {
      for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
    }
    return new TestCertificates(dir);
  }

  /** The set every create copies, made at the first: five RSA keys take openssl over a second. */
  private static Path made;

  private static synchronized Path madeOnce() throws Exception {
    if (made != null) return made;
    Path dir = Files.createTempDirectory("v2store-test-certificates");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    TestCertificates c = new TestCertificates(dir);
    c.ca("ca");
    c.ca("otherca");
    String member = "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n";
    c.signed("member", "ca", member, "rsa:2048");
    c.signed("client", "ca", "extendedKeyUsage=clientAuth\n", "rsa:2048");
    c.signed("stranger", "otherca", member, "rsa:2048");
    made = dir;
    return made;
  }

  private static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a temporary directory: the system cleans it up in time
    }
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  public String path(String name) {
    return file(name).toString();
  }

  private void ca(String name) throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path(name + ".key"),
        "-out", path(name + ".pem"), "-days", "2", "-subj", "/CN=" + name);
  }

  /** A key (of {@code newkey}'s kind) and a certificate for it signed by {@code ca}. */
  public void signed(String name, String ca, String extensions, String newkey) throws Exception {
    Files.writeString(file(name + ".ext"), extensions);
    openssl("req", "-newkey", newkey, "-nodes", "-keyout", path(name + ".key"),
        "-out", path(name + ".csr"), "-subj", "/CN=" + name);
    openssl("x509", "-req", "-in", path(name + ".csr"), "-CA", path(ca + ".pem"),
        "-CAkey", path(ca + ".key"), "-CAcreateserial", "-out", path(name + ".pem"),
        "-days", "2", "-extfile", path(name + ".ext"));
  }

  /**
   * A CRL of {@code ca} that revokes the named certificates (none: an empty list), PEM, written
   * to {@code crl}; each call starts a fresh list.
   */
  public Path revocationList(String ca, String crl, String... revoked) throws Exception {
    Path db = Files.createDirectories(dir.resolve(crl + ".db"));
    Files.writeString(db.resolve("index.txt"), "");
    Files.writeString(db.resolve("crlnumber"), "1000\n");
    Files.writeString(db.resolve("ca.cnf"), "[ca]\ndefault_ca=CA_default\n[CA_default]\n"
        + "database=" + db.resolve("index.txt") + "\ncrlnumber=" + db.resolve("crlnumber")
        + "\ndefault_md=sha256\ndefault_crl_days=2\n");
    String config = db.resolve("ca.cnf").toString();
    for (String name : revoked) {
      openssl("ca", "-config", config, "-keyfile", path(ca + ".key"), "-cert", path(ca + ".pem"),
          "-revoke", path(name + ".pem"));
    }
    openssl("ca", "-config", config, "-keyfile", path(ca + ".key"), "-cert", path(ca + ".pem"),
        "-gencrl", "-out", path(crl));
    return file(crl);
  }

  /** Runs openssl in the certificate directory; fails with its output if it fails. */
  String openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("openssl did not finish: " + command);
    }
    assertEquals(0, p.exitValue(), () -> "openssl failed: " + command + "\n" + output);
    return output;
  }

  /** A client context trusting {@code ca} and presenting {@code cert} (or none if null). */
  SSLContext clientContext(String ca, String cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", PemFiles.certificates(file(ca + ".pem")).get(0));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (cert != null) {
      char[] password = "test".toCharArray();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("me", PemFiles.privateKey(file(cert + ".key")), password,
          PemFiles.certificates(file(cert + ".pem")).toArray(new X509Certificate[0]));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
