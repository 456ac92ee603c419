package io.v2store.etcdctl.client;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a server certificate is valid for a DNS name, by Go's rules (crypto/x509, Go 1.15 and
 * later, which Debian's etcdctl is built with): only the subject alternative DNS names count, a
 * wildcard only as a whole leftmost label, case and a trailing dot ignored; and the refusal in
 * Go's words, which etcdctl prints.
 */
final class GoHostnames {
  private static final int DNS_NAME = 2;

  private GoHostnames() {}

  /** @throws CertificateException with Go's message when {@code host} is not a name of leaf */
  static void verify(X509Certificate leaf, String host) throws CertificateException {
    List<String> dnsNames = dnsNames(leaf);
    String wanted = normalise(host);
    for (String name : dnsNames) {
      if (matches(normalise(name), wanted)) {
        return;
      }
    }
    throw new CertificateException(refusal(leaf, dnsNames, host));
  }

  private static String refusal(X509Certificate leaf, List<String> dnsNames, String host)
      throws CertificateParsingException {
    if (leaf.getSubjectAlternativeNames() == null) {
      String cn = commonName(leaf);
      if (cn != null && matches(normalise(cn), normalise(host))) {
        return "x509: certificate relies on legacy Common Name field, use SANs instead";
      }
    }
    if (dnsNames.isEmpty()) {
      return "x509: certificate is not valid for any names, but wanted to match " + host;
    }
    return "x509: certificate is valid for " + String.join(", ", dnsNames) + ", not " + host;
  }

  private static List<String> dnsNames(X509Certificate leaf) throws CertificateParsingException {
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    List<String> names = new ArrayList<>();
    if (sans != null) {
      for (List<?> san : sans) {
        if (san.size() >= 2 && Integer.valueOf(DNS_NAME).equals(san.get(0))
            && san.get(1) instanceof String name) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static String commonName(X509Certificate leaf) {
    String dn = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
    for (String part : dn.split(",")) {
      if (part.regionMatches(true, 0, "CN=", 0, 3)) {
        return part.substring(3);
      }
    }
    return null;
  }

  private static String normalise(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** Label by label; "*" stands for any one label, and only as the first. */
  static boolean matches(String pattern, String host) {
    if (pattern.isEmpty() || host.isEmpty()) {
      return false;
    }
    String[] patternLabels = pattern.split("\\.", -1);
    String[] hostLabels = host.split("\\.", -1);
    if (patternLabels.length != hostLabels.length) {
      return false;
    }
    for (int i = 0; i < patternLabels.length; i++) {
      if (i == 0 && patternLabels[i].equals("*") && !hostLabels[i].isEmpty()) {
        continue;
      }
      if (!patternLabels[i].equals(hostLabels[i])) {
        return false;
      }
    }
    return true;
  }
}
