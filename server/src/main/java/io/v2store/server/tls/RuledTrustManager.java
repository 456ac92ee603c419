package io.v2store.server.tls;

import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's verdict on a chain first (CA, dates, key usage, and for a dialer the host name), then
 * the {@link CertificateRules}. A caller's address comes from the engine's peer host, which the
 * listeners set to the remote IP.
 */
final class RuledTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager trusted;
  private final CertificateRules rules;

  RuledTrustManager(X509ExtendedTrustManager trusted, CertificateRules rules) {
    this.trusted = trusted;
    this.rules = rules;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    trusted.checkClientTrusted(chain, authType, engine);
    rules.checkCaller(chain, engine == null ? null : engine.getPeerHost());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    trusted.checkClientTrusted(chain, authType, socket);
    InetAddress from = socket == null ? null : socket.getInetAddress();
    rules.checkCaller(chain, from == null ? null : from.getHostAddress());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    trusted.checkClientTrusted(chain, authType);
    rules.checkCaller(chain, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    trusted.checkServerTrusted(chain, authType, engine);
    rules.checkNames(chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    trusted.checkServerTrusted(chain, authType, socket);
    rules.checkNames(chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    trusted.checkServerTrusted(chain, authType);
    rules.checkNames(chain[0]);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return trusted.getAcceptedIssuers();
  }
}
