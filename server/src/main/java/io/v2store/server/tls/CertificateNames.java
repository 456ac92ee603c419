package io.v2store.server.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What a certificate names, read as Go's crypto/x509 (and so etcd) reads it: the subject's common
 * name, and the hosts of its subject alternative names. A host is never matched against the common
 * name, as Go no longer does.
 */
final class CertificateNames {
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private CertificateNames() {}

  /** The subject's common name ("" without one); of several, the last, as Go keeps. */
  static String commonName(X509Certificate cert) {
    try {
      String cn = "";
      // LdapName lists the RDNs in the certificate's own order (the reverse of the string's)
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) cn = String.valueOf(rdn.getValue());
      }
      return cn;
    } catch (InvalidNameException e) {
      return "";
    }
  }

  static List<String> dnsNames(X509Certificate cert) {
    return alternativeNames(cert, DNS_NAME);
  }

  static List<String> ipAddresses(X509Certificate cert) {
    return alternativeNames(cert, IP_ADDRESS);
  }

  /**
   * Go's {@code VerifyHostname}: an IP address (bracketed or not) must be one of the IP names; a
   * host name must match a DNS name, case aside, where a leftmost "*" stands for one label.
   */
  static boolean namesHost(X509Certificate cert, String host) {
    String candidate = host.length() >= 3 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    Optional<InetAddress> ip = ipLiteral(candidate);
    if (ip.isPresent()) {
      return ipAddresses(cert).stream().map(CertificateNames::ipLiteral)
          .anyMatch(a -> a.isPresent() && a.get().equals(ip.get()));
    }
    String name = trimDot(host.toLowerCase(Locale.ROOT));
    for (String pattern : dnsNames(cert)) {
      if (matches(trimDot(pattern.toLowerCase(Locale.ROOT)), name)) return true;
    }
    return false;
  }

  /** The address an IP literal spells; empty for anything else (never a DNS lookup). */
  static Optional<InetAddress> ipLiteral(String text) {
    if (!IPV4.matcher(text).matches() && !(text.contains(":") && text.matches("[0-9A-Fa-f:.]+"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty(); // 999.1.1.1, or a malformed IPv6 literal
    }
  }

  private static boolean matches(String pattern, String name) {
    if (pattern.isEmpty() || name.isEmpty()) return false;
    String[] p = pattern.split("\\.", -1);
    String[] n = name.split("\\.", -1);
    if (p.length != n.length) return false;
    for (int i = 0; i < p.length; i++) {
      if (i == 0 && p[i].equals("*") && !n[i].isEmpty()) continue;
      if (!p[i].equals(n[i])) return false;
    }
    return true;
  }

  private static String trimDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static List<String> alternativeNames(X509Certificate cert, int type) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> all = cert.getSubjectAlternativeNames();
      if (all == null) return names;
      for (List<?> entry : all) {
        if (entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type
            && entry.get(1) instanceof String value) {
          names.add(value);
        }
      }
    } catch (CertificateParsingException e) {
      // an unreadable extension names nothing
    }
    return names;
  }
}
