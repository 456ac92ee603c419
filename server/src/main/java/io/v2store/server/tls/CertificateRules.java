package io.v2store.server.tls;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a certificate must satisfy beyond chaining to a trusted CA, on one kind of port (client or
 * peer), as etcd's flags say:
 *
 * <ul>
 *   <li>{@code allowedCn}/{@code allowedHostname} (--peer-cert-allowed-cn, --peer-cert-allowed-hostname,
 *       --client-cert-allowed-hostname): the certificate of whoever connects, and, for a dialer,
 *       of whoever answers, must have that common name or name that host;
 *   <li>{@code revoked} (--client-crl-file, --peer-crl-file): a caller's chain must not hold a
 *       revoked serial number (checked where connections are accepted, as etcd does);
 *   <li>{@code matchCallerAddress} (peer port, unless
 *       --experimental-peer-skip-client-san-verification): a caller's certificate that names hosts
 *       must name the address it calls from, as an IP name or a DNS name resolving to it.
 * </ul>
 */
record CertificateRules(Optional<String> allowedCn, Optional<String> allowedHostname,
    Optional<RevocationList> revoked, boolean matchCallerAddress) {

  CertificateRules {
    if (allowedCn.isPresent() && allowedHostname.isPresent()) {
      throw new IllegalArgumentException("AllowedCN and AllowedHostname are mutually exclusive "
          + "(cn=\"" + allowedCn.get() + "\", hostname=\"" + allowedHostname.get() + "\")");
    }
  }

  boolean any() {
    return allowedCn.isPresent() || allowedHostname.isPresent() || revoked.isPresent()
        || matchCallerAddress;
  }

  /** {@code trusted} (the JDK's CAs when empty) with these rules after its own checks. */
  Optional<TrustManagerFactory> around(Optional<TrustManagerFactory> trusted) throws IOException {
    if (!any()) return trusted;
    try {
      TrustManagerFactory base = trusted.orElse(null);
      if (base == null) {
        base = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        base.init((KeyStore) null);
      }
      X509ExtendedTrustManager inner = Arrays.stream(base.getTrustManagers())
          .filter(X509ExtendedTrustManager.class::isInstance)
          .map(X509ExtendedTrustManager.class::cast).findFirst()
          .orElseThrow(() -> new IOException("no X.509 trust manager to check certificates"));
      TrustManager ruled = new RuledTrustManager(inner, this);
      return Optional.of(new SimpleTrustManagerFactory() {
        @Override
        protected void engineInit(KeyStore keyStore) {}

        @Override
        protected void engineInit(ManagerFactoryParameters params) {}

        @Override
        protected TrustManager[] engineGetTrustManagers() {
          return new TrustManager[] {ruled};
        }
      });
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up certificate checks: " + e.getMessage(), e);
    }
  }

  /** A caller's chain, already trusted, calling from {@code callerHost} (null: unknown). */
  void checkCaller(X509Certificate[] chain, String callerHost) throws CertificateException {
    checkNames(chain[0]); // first, as etcd: its names are checked in the handshake, its CRL after
    if (revoked.isPresent()) revoked.get().check(chain);
    if (matchCallerAddress) checkCallerAddress(chain[0], callerHost);
  }

  /** A certificate, already trusted, of either end. */
  void checkNames(X509Certificate cert) throws CertificateException {
    boolean ok = allowedCn.map(cn -> cn.equals(CertificateNames.commonName(cert)))
        .or(() -> allowedHostname.map(h -> CertificateNames.namesHost(cert, h)))
        .orElse(true);
    if (!ok) throw new CertificateException("client certificate authentication failed");
  }

  private static void checkCallerAddress(X509Certificate cert, String callerHost)
      throws CertificateException {
    List<String> ips = CertificateNames.ipAddresses(cert);
    List<String> dns = CertificateNames.dnsNames(cert);
    if (ips.isEmpty() && dns.isEmpty()) return;
    Optional<InetAddress> caller = callerHost == null ? Optional.empty()
        : CertificateNames.ipLiteral(callerHost);
    if (caller.isEmpty()) {
      throw new CertificateException("tls: cannot tell the caller's address to match it against "
          + "its certificate's names");
    }
    if (CertificateNames.namesHost(cert, callerHost)) return;
    for (String name : dns) {
      try {
        for (InetAddress a : InetAddress.getAllByName(name)) {
          if (a.equals(caller.get())) return;
        }
      } catch (UnknownHostException e) {
        // as etcd: a name that does not resolve matches nothing
      }
    }
    throw new CertificateException(dns.isEmpty()
        ? "x509: certificate is valid for " + String.join(", ", ips) + ", not " + callerHost
        : "tls: \"" + callerHost + "\" does not match any of DNSNames " + dns);
  }
}
