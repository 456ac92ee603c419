package io.v2store.etcdctl.client;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server whose certificate chains to the given CAs and names {@code serverName},
 * whatever host the connection went to: Go etcdctl's TLS ServerName, which it sets to the
 * --discovery-srv domain, so that whoever answers for the domain's SRV records cannot send it to a
 * host that merely holds a certificate of its own name. The name is checked first, as Go does.
 */
final class ServerNameTrust extends X509ExtendedTrustManager {
  private final X509TrustManager chains;
  private final String serverName;

  ServerNameTrust(X509TrustManager chains, String serverName) {
    this.chains = chains;
    this.serverName = serverName;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("x509: no certificate from the server");
    }
    GoHostnames.verify(chain[0], serverName);
    // the two-argument check verifies the chain only, not the connection's host
    chains.checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("etcdctl trusts no clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chains.getAcceptedIssuers();
  }
}
