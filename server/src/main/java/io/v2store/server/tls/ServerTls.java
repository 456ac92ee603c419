package io.v2store.server.tls;

import io.v2store.http.ClientTls;
import io.v2store.raft.transport.PeerTls;
import io.v2store.server.config.ServerConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Turns the TLS flags into what the client listeners and the peer transport use, with etcd's
 * rules: an https:// listener needs a certificate and key; a trusted CA file, or
 * --client-cert-auth, makes a client certificate signed by that CA mandatory (the same for
 * peers); certificate files given for http:// listeners only are ignored with a warning.
 */
public final class ServerTls {
  private static final Logger LOG = Logger.getLogger("etcd");
  private static final char[] IN_MEMORY_PASSWORD = "v2store".toCharArray();

  private ServerTls() {}

  /** TLS for the https:// client and metrics listeners, or empty when none is https. */
  public static Optional<ClientTls> forClients(ServerConfig config) throws IOException {
    List<URI> listeners = Stream.concat(config.listenClientUrls().stream(),
        config.listenMetricsUrls().stream()).toList();
    Optional<Path> cert = config.tls().certFile();
    Optional<Path> key = config.tls().keyFile();
    Optional<URI> secure = firstHttps(listeners);
    if (secure.isEmpty()) {
      if (cert.isPresent() || key.isPresent()) {
        LOG.warning(() -> config.name() + ": scheme is HTTP while key and cert files are present;"
            + " ignoring key and cert files");
      }
      return Optional.empty();
    }
    if (config.tlsSettings().autoTls()) {
      if (cert.isPresent() || key.isPresent()) {
        LOG.warning(() -> config.name() + ": ignoring client auto TLS since certs given");
      } else {
        SelfSignedCertificates.CertAndKey made = SelfSignedCertificates.ensure(
            fixtures(config, "client"), listeners, false);
        cert = Optional.of(made.cert());
        key = Optional.of(made.key());
      }
    }
    if (cert.isEmpty() && key.isEmpty()) {
      throw new TlsFilesMissingException(secure.get());
    }
    KeyManagerFactory keys = keys(secure.get(), cert, key);
    Optional<Path> ca = config.tls().trustedCaFile();
    Optional<Path> crl = config.tls().clientCrlFile();
    boolean require = config.clientCertAuth() || ca.isPresent();
    String certFile = cert.get().toString();
    String keyFile = key.get().toString();
    LOG.info(() -> config.name() + ": ClientTLS: cert = " + certFile + ", key = " + keyFile
        + ", trusted-ca = " + ca.map(Path::toString).orElse("") + ", client-cert-auth = "
        + require + ", crl-file = " + crl.map(Path::toString).orElse(""));
    Optional<TrustManagerFactory> trust = clientRules(config).around(trust(ca));
    return Optional.of(new ClientTls(keys, trust, require, config.name(), config.cipherSuites()));
  }

  /** TLS for the peer port and for dialing https:// peers. */
  public static PeerTls forPeers(ServerConfig config) throws IOException {
    Optional<Path> cert = config.tls().peerCertFile();
    Optional<Path> key = config.tls().peerKeyFile();
    Optional<Path> ca = config.tls().peerTrustedCaFile();
    Optional<URI> secure = firstHttps(config.listenPeerUrls());
    if (secure.isEmpty()) {
      if (cert.isPresent() || key.isPresent()) {
        LOG.warning(() -> config.name() + ": scheme is HTTP while peer key and cert files are "
            + "present; ignoring peer key and cert files");
      }
      return new PeerTls(Optional.empty(), trust(ca), false, config.cipherSuites(), true,
          Optional.empty());
    }
    boolean selfSigned = false;
    if (config.tlsSettings().peerAutoTls()) {
      if (cert.isPresent() || key.isPresent()) {
        LOG.warning(() -> config.name() + ": ignoring peer auto TLS since certs given");
      } else {
        SelfSignedCertificates.CertAndKey made = SelfSignedCertificates.ensure(
            fixtures(config, "peer"), config.listenPeerUrls(), true);
        cert = Optional.of(made.cert());
        key = Optional.of(made.key());
        selfSigned = true;
      }
    }
    KeyManagerFactory keys = keys(secure.get(), cert, key);
    Optional<Path> crl = config.tls().peerCrlFile();
    boolean require = config.peerClientCertAuth() || ca.isPresent();
    String certFile = cert.get().toString();
    String keyFile = key.get().toString();
    LOG.info(() -> config.name() + ": PeerTLS: cert = " + certFile + ", key = " + keyFile
        + ", trusted-ca = " + ca.map(Path::toString).orElse("") + ", client-cert-auth = "
        + require + ", crl-file = " + crl.map(Path::toString).orElse(""));
    CertificateRules rules;
    try {
      rules = new CertificateRules(config.tlsSettings().peerCertAllowedCn(),
          config.tlsSettings().peerCertAllowedHostname(), crl.map(RevocationList::new),
          !config.tlsSettings().peerSkipClientSanVerification());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    return new PeerTls(Optional.of(keys), rules.around(trust(ca)), require,
        config.cipherSuites(), !selfSigned, Optional.empty());
  }

  /** --client-cert-allowed-hostname and --client-crl-file; clients' addresses are not matched. */
  private static CertificateRules clientRules(ServerConfig config) {
    return new CertificateRules(Optional.empty(), config.tlsSettings().clientCertAllowedHostname(),
        config.tls().clientCrlFile().map(RevocationList::new), false);
  }

  /** Where --auto-tls and --peer-auto-tls keep what they made, as etcd does. */
  private static Path fixtures(ServerConfig config, String kind) {
    return config.dataDir().resolve("fixtures").resolve(kind);
  }

  /**
   * For a proxy's connections to members whose client URLs are https: the client certificate of
   * --cert-file/--key-file (when given; as etcd's proxy presents its own) and the CAs of
   * --trusted-ca-file (else the JDK's); member host names are verified. When neither
   * --cert-file nor --key-file is given, etcd's proxy uses its peer TLS flags instead
   * (--peer-cert-file, --peer-key-file, --peer-trusted-ca-file: "the old proxy behavior of
   * defaulting to PeerTLSInfo for both client and peer connections"), and so does this one. Built
   * whether or not any member turns out to be https: it costs nothing until used.
   */
  public static SslContext forProxyUpstream(ServerConfig config) throws IOException {
    boolean clientFiles = config.tls().certFile().isPresent() || config.tls().keyFile().isPresent();
    Optional<Path> cert = clientFiles ? config.tls().certFile() : config.tls().peerCertFile();
    Optional<Path> key = clientFiles ? config.tls().keyFile() : config.tls().peerKeyFile();
    // --auto-tls: any member's certificate is accepted, as etcd's proxy sets InsecureSkipVerify
    // then (members with --auto-tls each have their own self-signed one)
    boolean verify = !config.tlsSettings().autoTls();
    SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
        .endpointIdentificationAlgorithm(verify ? "HTTPS" : null);
    if (cert.isPresent() || key.isPresent()) {
      // both or neither: keys() says which is missing (the URI only names a listener, none here)
      builder.keyManager(keys(URI.create("https://proxy:0"), cert, key));
    }
    // as etcd's proxy, which dials with the client TLS settings: a member's certificate must name
    // --client-cert-allowed-hostname too (with the peer settings: those of the peer flags)
    Optional<TrustManagerFactory> trust = !verify
        ? Optional.of(InsecureTrustManagerFactory.INSTANCE)
        : clientFiles
            ? clientRules(config).around(trust(config.tls().trustedCaFile()))
            : peerNameRules(config).around(trust(config.tls().peerTrustedCaFile()));
    trust.ifPresent(builder::trustManager);
    if (!config.cipherSuites().isEmpty()) builder.ciphers(config.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IOException("cannot set up TLS to the members: " + e.getMessage(), e);
    }
  }

  /**
   * For a proxy's requests for the member list on https:// peer URLs, with the peer TLS flags as
   * etcd's proxy (whatever the scheme of its own peer URLs, which it does not listen on):
   * --peer-cert-file/--peer-key-file presented when given, the CAs of --peer-trusted-ca-file
   * (else the JDK's), the names of --peer-cert-allowed-cn/-hostname required; under
   * --peer-auto-tls any certificate is accepted (etcd's InsecureSkipVerify).
   */
  public static SSLContext forProxyPeers(ServerConfig config) throws IOException {
    Optional<Path> cert = config.tls().peerCertFile();
    Optional<Path> key = config.tls().peerKeyFile();
    KeyManager[] keys = cert.isPresent() || key.isPresent()
        ? keys(URI.create("https://proxy:0"), cert, key).getKeyManagers() : null;
    TrustManager[] trusted = config.tlsSettings().peerAutoTls()
        ? InsecureTrustManagerFactory.INSTANCE.getTrustManagers()
        : peerNameRules(config).around(trust(config.tls().peerTrustedCaFile()))
            .map(TrustManagerFactory::getTrustManagers).orElse(null);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trusted, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS to the peers: " + e.getMessage(), e);
    }
  }

  /** --peer-cert-allowed-cn and --peer-cert-allowed-hostname, for a dialer of peers. */
  private static CertificateRules peerNameRules(ServerConfig config) throws IOException {
    try {
      return new CertificateRules(config.tlsSettings().peerCertAllowedCn(),
          config.tlsSettings().peerCertAllowedHostname(), Optional.empty(), false);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static Optional<URI> firstHttps(List<URI> urls) {
    return urls.stream().filter(u -> "https".equals(u.getScheme())).findFirst();
  }

  private static KeyManagerFactory keys(URI listener, Optional<Path> cert, Optional<Path> key)
      throws IOException {
    if (cert.isEmpty() && key.isEmpty()) {
      throw new IOException("cannot listen on TLS for " + listener.getHost() + ":"
          + listener.getPort() + ": KeyFile and CertFile are not presented");
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new IOException("KeyFile and CertFile must both be present[key: "
          + key.map(Path::toString).orElse("") + ", cert: " + cert.map(Path::toString).orElse("")
          + "]");
    }
    // read again at a handshake after either file changed, as etcd reads them at every one
    Path certFile = cert.get();
    Path keyFile = key.get();
    return new KeyManagerFactoryWrapper(
        new ReloadingKeyManager(certFile, keyFile, () -> read(certFile, keyFile)));
  }

  /** The pair in the files, checked to belong together, as the JDK's key manager for them. */
  private static X509ExtendedKeyManager read(Path cert, Path key) throws IOException {
    List<X509Certificate> chain = PemFiles.certificates(cert);
    PrivateKey privateKey = PemFiles.privateKey(key);
    PemFiles.checkPair(privateKey, chain.get(0));
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("member", privateKey, IN_MEMORY_PASSWORD,
          chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY_PASSWORD);
      for (KeyManager manager : factory.getKeyManagers()) {
        if (manager instanceof X509ExtendedKeyManager x509) return x509;
      }
      throw new IOException("cannot use " + cert + " and " + key + ": no X.509 key manager");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use " + cert + " and " + key + ": " + e.getMessage(), e);
    }
  }

  /** The CAs in the file, or empty for the JDK's own trusted CAs. */
  static Optional<TrustManagerFactory> trust(Optional<Path> caFile) throws IOException {
    if (caFile.isEmpty()) {
      return Optional.empty();
    }
    List<X509Certificate> cas = PemFiles.certificates(caFile.get());
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return Optional.of(factory);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use " + caFile.get() + ": " + e.getMessage(), e);
    }
  }
}
