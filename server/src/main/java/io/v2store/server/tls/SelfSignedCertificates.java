package io.v2store.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * etcd's --auto-tls and --peer-auto-tls: a self-signed certificate (ECDSA P-521, a year, subject
 * O=etcd, the listeners' hosts as its names) and its key, as {@code cert.pem} and {@code key.pem}
 * in a directory of the data dir, made once and kept, so a restarted member presents the same
 * certificate. The JDK's keytool makes them (in a child process: the JDK has no public API that
 * signs a certificate).
 */
final class SelfSignedCertificates {
  private static final Logger LOG = Logger.getLogger("etcd");
  private static final String PASSWORD = "auto-tls";

  record CertAndKey(Path cert, Path key) {}

  private SelfSignedCertificates() {}

  /** The certificate and key in {@code dir}, made now if either is missing. */
  static CertAndKey ensure(Path dir, List<URI> listeners, boolean forPeers) throws IOException {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    if (Files.exists(cert) && Files.exists(key)) return new CertAndKey(cert, key);
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path store = dir.resolve("auto-tls.p12");
    Files.deleteIfExists(store);
    try {
      keytool(store, listeners, forPeers);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      Key privateKey = keys.getKey("etcd", PASSWORD.toCharArray());
      Certificate certificate = keys.getCertificate("etcd");
      writeAtomically(key, pem("PRIVATE KEY", privateKey.getEncoded()), "rw-------");
      writeAtomically(cert, pem("CERTIFICATE", certificate.getEncoded()), "rw-r--r--");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot generate certificates in " + dir + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(store);
    }
    LOG.info(() -> "created cert file " + cert + " and key file " + key);
    return new CertAndKey(cert, key);
  }

  private static void keytool(Path store, List<URI> listeners, boolean forPeers)
      throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    // keytool runs for well under a second: the client compiler alone and the serial collector
    // halve its CPU time, which a member starting with both auto TLS flags pays twice.
    List<String> command = new ArrayList<>(List.of(keytool.toString(),
        "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-genkeypair",
        "-alias", "etcd", "-keyalg", "EC", "-groupname", "secp521r1",
        "-sigalg", "SHA512withECDSA", "-validity", "365", "-dname", "O=etcd",
        "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD,
        "-ext", "KU:critical=digitalSignature,keyEncipherment",
        // a peer's certificate is also what it presents when it dials
        "-ext", forPeers ? "EKU=serverAuth,clientAuth" : "EKU=serverAuth",
        "-ext", "BC=ca:false"));
    String names = subjectAlternativeNames(listeners);
    if (!names.isEmpty()) command.addAll(List.of("-ext", "SAN=" + names));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try {
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool made a certificate", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("cannot generate a certificate (" + keytool + " exited with "
          + p.exitValue() + "): " + output.strip());
    }
  }

  /** keytool's SAN list: each listener's host once, an IP as ip:, a name as dns:. */
  static String subjectAlternativeNames(List<URI> listeners) {
    Set<String> names = new LinkedHashSet<>();
    for (URI u : listeners) {
      String host = u.getHost();
      if (host == null || host.isEmpty()) continue;
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      names.add((CertificateNames.ipLiteral(host).isPresent() ? "ip:" : "dns:") + host);
    }
    return String.join(",", names);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void writeAtomically(Path file, String text, String permissions)
      throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString(permissions)));
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
