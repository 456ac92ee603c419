package io.v2store.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for https:// client and metrics listeners (etcd's --cert-file, --key-file,
 * --trusted-ca-file, --client-cert-auth), built by the server from the PEM files.
 *
 * @param keys this member's certificate and key
 * @param trustedCas the CAs a client certificate must chain to; empty means the JDK's defaults
 * @param requireClientCert refuse a client without an accepted certificate (etcd does so when
 *     --client-cert-auth or --trusted-ca-file is set)
 * @param memberName named in the log line of a refused connection
 * @param ciphers the cipher suites allowed (the JDK's names); empty: the JDK's defaults
 */
public record ClientTls(KeyManagerFactory keys, Optional<TrustManagerFactory> trustedCas,
    boolean requireClientCert, String memberName, List<String> ciphers) {

  public ClientTls {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(trustedCas, "trustedCas");
    ciphers = List.copyOf(ciphers);
    Objects.requireNonNull(memberName, "memberName");
  }

  /** A server context on the JDK provider; one per listener set, shared by its connections. */
  public SslContext serverContext() {
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(keys)
          .sslProvider(SslProvider.JDK)
          .clientAuth(requireClientCert ? ClientAuth.REQUIRE : ClientAuth.NONE);
      trustedCas.ifPresent(builder::trustManager);
      if (!ciphers.isEmpty()) builder.ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE); // RC4 and 3DES: the JDK has them off
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for clients: " + e.getMessage(), e);
    }
  }
}
