package io.v2store.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.CRL;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;

/**
 * A certificate revocation list file (--client-crl-file, --peer-crl-file), PEM or DER, checked as
 * etcd checks it: a certificate whose serial number the list names is refused, whoever issued it.
 * The file is read again whenever it changes, so a new list takes effect without a restart; a
 * file that cannot be read refuses every connection (etcd's way: failing open would let in what
 * the operator revoked).
 */
final class RevocationList {
  private final Path file;
  private Object version;
  private Set<BigInteger> revoked;
  private CertificateException unreadable;

  RevocationList(Path file) {
    this.file = file;
  }

  /** Throws naming the first certificate of the chain the list revokes, or why it is unreadable. */
  void check(X509Certificate[] chain) throws CertificateException {
    Set<BigInteger> serials = current();
    for (X509Certificate cert : chain) {
      if (serials.contains(cert.getSerialNumber())) {
        throw new CertificateException("transport: certificate serial "
            + goHex(cert.getSerialNumber()) + " revoked");
      }
    }
  }

  private synchronized Set<BigInteger> current() throws CertificateException {
    Object now;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      now = a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
    } catch (NoSuchFileException e) {
      throw new CertificateException("open " + file + ": no such file or directory");
    } catch (IOException e) {
      throw new CertificateException("open " + file + ": " + e.getMessage());
    }
    if (!now.equals(version)) {
      version = now;
      try {
        revoked = read();
        unreadable = null;
      } catch (CertificateException e) {
        revoked = null;
        unreadable = e;
      }
    }
    if (unreadable != null) throw unreadable;
    return revoked;
  }

  private Set<BigInteger> read() throws CertificateException {
    Set<BigInteger> serials = new HashSet<>();
    try (InputStream in = Files.newInputStream(file)) {
      var lists = CertificateFactory.getInstance("X.509").generateCRLs(in);
      if (lists.isEmpty()) throw new CertificateException(file + " holds no CRL");
      for (CRL crl : lists) {
        Set<? extends X509CRLEntry> entries = ((X509CRL) crl).getRevokedCertificates();
        if (entries == null) continue;
        for (X509CRLEntry entry : entries) serials.add(entry.getSerialNumber());
      }
    } catch (IOException e) {
      throw new CertificateException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (java.security.cert.CRLException e) {
      throw new CertificateException(file + " is not a CRL: " + e.getMessage(), e);
    }
    return serials;
  }

  /** The serial's big-endian bytes in hex, two digits each, as etcd prints it. */
  static String goHex(BigInteger serial) {
    String hex = serial.abs().toString(16);
    return hex.length() % 2 == 0 ? hex : "0" + hex;
  }
}
