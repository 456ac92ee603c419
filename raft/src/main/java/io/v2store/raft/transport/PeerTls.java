package io.v2store.raft.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS between members (etcd's --peer-cert-file, --peer-key-file, --peer-trusted-ca-file,
 * --peer-client-cert-auth). The listener speaks TLS when {@code keys} is present; a dialer speaks
 * TLS to every https:// peer URL, verifies the peer's certificate and host against
 * {@code trustedCas} and presents {@code keys} as its own certificate.
 *
 * @param keys this member's certificate and key; empty: the peer port is plain TCP
 * @param trustedCas the CAs a peer's certificate must chain to; empty means the JDK's defaults
 * @param requireClientCert the listener refuses a dialer without an accepted certificate
 * @param ciphers the cipher suites allowed (the JDK's names); empty: the JDK's defaults
 * @param verifyPeers false: a dialer accepts any certificate for any host (etcd's
 *     --peer-auto-tls, where every member's certificate is its own, self-signed: encryption
 *     without authentication)
 * @param serverName the name a dialer checks every peer's certificate against (and sends as
 *     SNI) instead of the host of the peer's URL; empty: that host (see {@link #withServerName})
 */
public record PeerTls(Optional<KeyManagerFactory> keys, Optional<TrustManagerFactory> trustedCas,
    boolean requireClientCert, List<String> ciphers, boolean verifyPeers,
    Optional<String> serverName) {

  public PeerTls {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(trustedCas, "trustedCas");
    Objects.requireNonNull(serverName, "serverName");
    ciphers = List.copyOf(ciphers);
    if (requireClientCert && keys.isEmpty()) {
      throw new IllegalArgumentException("peer client-cert-auth needs a peer certificate");
    }
  }

  /** Plain TCP listener; https:// peers are still dialed with TLS and the JDK's trusted CAs. */
  public static PeerTls none() {
    return new PeerTls(Optional.empty(), Optional.empty(), false, List.of(), true,
        Optional.empty());
  }

  /**
   * The same, with every peer's certificate checked against {@code name} rather than its URL's
   * host: etcd's rule for a member whose cluster came from the https SRV records of a domain
   * (the domain is the name) and that was given no peer CA file.
   */
  public PeerTls withServerName(Optional<String> name) {
    return new PeerTls(keys, trustedCas, requireClientCert, ciphers, verifyPeers, name);
  }

  /** The name a dialer of {@code url} checks the certificate against and sends as SNI. */
  String nameToVerify(String urlHost) {
    return serverName.orElse(urlHost);
  }

  boolean secureListener() {
    return keys.isPresent();
  }

  SslContext serverContext() {
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(keys.orElseThrow())
          .sslProvider(SslProvider.JDK)
          .clientAuth(requireClientCert ? ClientAuth.REQUIRE : ClientAuth.NONE);
      trustedCas.ifPresent(builder::trustManager);
      if (!ciphers.isEmpty()) builder.ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE); // RC4 and 3DES: the JDK has them off
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for peers: " + e.getMessage(), e);
    }
  }

  SslContext clientContext() {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient()
          .sslProvider(SslProvider.JDK)
          .endpointIdentificationAlgorithm(verifyPeers ? "HTTPS" : null);
      keys.ifPresent(builder::keyManager);
      dialerTrust().ifPresent(builder::trustManager);
      if (!ciphers.isEmpty()) builder.ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE); // RC4 and 3DES: the JDK has them off
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS to peers: " + e.getMessage(), e);
    }
  }

  private Optional<TrustManagerFactory> dialerTrust() {
    return verifyPeers ? trustedCas : Optional.of(InsecureTrustManagerFactory.INSTANCE);
  }

  /** The same client side as a JDK context, for the blocking {@link JoinQuery}. */
  SSLContext jdkClientContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.map(KeyManagerFactory::getKeyManagers).orElse(null),
          dialerTrust().map(TrustManagerFactory::getTrustManagers).orElse(null), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS to peers: " + e.getMessage(), e);
    }
  }
}
