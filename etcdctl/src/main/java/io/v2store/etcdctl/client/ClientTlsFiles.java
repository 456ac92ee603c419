package io.v2store.etcdctl.client;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * etcdctl's --cert-file, --key-file and --ca-file, and the name servers must hold, as the TLS
 * set-up of every https request.
 * The checks and their messages are Go etcdctl's, made before any request, whatever the scheme
 * of the endpoints: a half-given pair, a missing file, a file without PEM data.
 */
public final class ClientTlsFiles {
  private ClientTlsFiles() {}

  /**
   * @param certFile empty or null when not given; likewise the others
   * @param serverName the name the server's certificate must hold instead of the URL's host
   *     (Go etcdctl's ServerName: the --discovery-srv domain); empty or null: the URL's host
   * @return how to secure https requests, or null when nothing differs from the JDK's defaults
   * @throws IOException with the line Go etcdctl prints before exiting 1
   */
  public static ClientTls load(String certFile, String keyFile, String caFile, String serverName)
      throws IOException {
    boolean cert = given(certFile);
    boolean key = given(keyFile);
    boolean ca = given(caFile);
    boolean named = given(serverName);
    if (cert != key) {
      throw new IOException("KeyFile and CertFile must both be present[key: "
          + (key ? keyFile : "") + ", cert: " + (cert ? certFile : "") + "]");
    }
    if (!cert && !ca && !named) {
      return null;
    }
    KeyManager[] keys = null;
    if (cert) {
      List<X509Certificate> chain = PemFiles.certificates(Path.of(certFile));
      PrivateKey privateKey = PemFiles.privateKey(Path.of(keyFile));
      PemFiles.checkPair(privateKey, chain.get(0));
      keys = new KeyManager[] {new AlwaysPresent(privateKey, chain)};
    }
    TrustManager[] trust = null;
    if (ca || named) {
      trust = trustManagers(ca ? PemFiles.certificates(Path.of(caFile)) : null);
      if (named) {
        trust = new TrustManager[] {new ServerNameTrust(x509(trust), serverName)};
      }
    }
    try {
      // TLS 1.2: under 1.3 the server judges our certificate, or our lack of one when it asks
      // for one, after our handshake is done, and its refusal races our request (a "Broken
      // pipe", or "Error writing to server" and exit 2, instead of Go's "remote error: tls: bad
      // certificate" and exit 4). Under 1.2 the verdict ends the handshake.
      SSLContext context = SSLContext.getInstance("TLSv1.2");
      context.init(keys, trust, null);
      return new ClientTls(context.getSocketFactory(), named ? serverName : null);
    } catch (GeneralSecurityException e) {
      throw new IOException("tls: " + e.getMessage(), e);
    }
  }

  private static boolean given(String file) {
    return file != null && !file.isEmpty();
  }

  /** cas null: the JDK's default CAs (Go's system roots). */
  private static TrustManager[] trustManagers(List<X509Certificate> cas) throws IOException {
    try {
      KeyStore store = null;
      if (cas != null) {
        store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
          store.setCertificateEntry("ca-" + i, cas.get(i));
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IOException("tls: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager x509(TrustManager[] managers) throws IOException {
    for (TrustManager manager : managers) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new IOException("tls: no X.509 trust manager");
  }

  /**
   * Presents the one certificate whatever CAs the server names, as Go's client does; the JDK's
   * own key manager would send none when the issuer is not named, hiding the real refusal.
   */
  private static final class AlwaysPresent extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    AlwaysPresent(PrivateKey key, List<X509Certificate> chain) {
      this.key = key;
      this.chain = chain.toArray(new X509Certificate[0]);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers,
        SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }
}
