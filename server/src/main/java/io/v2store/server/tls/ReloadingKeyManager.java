package io.v2store.server.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.BiFunction;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A certificate and key read again from their files when either has changed, checked at each new
 * handshake: etcd reads its --cert-file/--key-file (and the peer ones) on every new connection, so
 * a renewed certificate is served, and presented, from the next connection on without a restart.
 * A pair that cannot be used (a key written before its certificate, say) is logged and the last
 * good pair stays. Each alias names the pair it came from, so a handshake that chose a pair gets
 * that pair's key and chain even if the files change meanwhile.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = Logger.getLogger("etcd");

  /** The files' identity as the file system gives it: a change to either means read again. */
  record Stamp(Object certKey, FileTime certModified, long certSize, Object keyKey,
      FileTime keyModified, long keySize) {}

  /** One pair as read, its keys, and the generation that prefixes its aliases. */
  private record Loaded(long generation, Stamp stamp, X509ExtendedKeyManager keys) {}

  /** Reads the pair into a key manager, or fails saying why. */
  interface Reader {
    X509ExtendedKeyManager read() throws IOException;
  }

  private final Path cert;
  private final Path key;
  private final Reader reader;
  private volatile Loaded current;
  private volatile Loaded previous;
  private Stamp refused;

  ReloadingKeyManager(Path cert, Path key, Reader reader) throws IOException {
    this.cert = cert;
    this.key = key;
    this.reader = reader;
    Stamp stamp = stamp();
    this.current = new Loaded(0, stamp, reader.read());
  }

  /** The files' stamp now, or null when either cannot be read. */
  private Stamp stamp() {
    try {
      BasicFileAttributes c = Files.readAttributes(cert, BasicFileAttributes.class);
      BasicFileAttributes k = Files.readAttributes(key, BasicFileAttributes.class);
      return new Stamp(c.fileKey(), c.lastModifiedTime(), c.size(), k.fileKey(),
          k.lastModifiedTime(), k.size());
    } catch (IOException e) {
      return null;
    }
  }

  /** The pair to choose from now: read again first when the files changed since. */
  private Loaded fresh() {
    Loaded now = current;
    Stamp stamp = stamp();
    if (stamp == null || stamp.equals(now.stamp())) return now;
    synchronized (this) {
      now = current;
      if (stamp.equals(now.stamp()) || stamp.equals(refused)) return now;
      try {
        Loaded next = new Loaded(now.generation() + 1, stamp, reader.read());
        previous = now;
        current = next;
        refused = null;
        LOG.info(() -> "loaded the renewed certificate " + cert + " and key " + key);
        return next;
      } catch (IOException | RuntimeException e) {
        refused = stamp;
        LOG.warning(() -> "cannot use the changed certificate " + cert + " and key " + key
            + " (" + e.getMessage() + "); still using the ones read before");
        return now;
      }
    }
  }

  private static String alias(Loaded loaded, String inner) {
    return inner == null ? null : loaded.generation() + ":" + inner;
  }

  private static String[] aliases(Loaded loaded, String[] inner) {
    if (inner == null) return null;
    String[] out = new String[inner.length];
    for (int i = 0; i < inner.length; i++) out[i] = alias(loaded, inner[i]);
    return out;
  }

  /** The pair an alias came from and its alias there, or null for an alias not ours. */
  private <T> T resolve(String alias, BiFunction<X509ExtendedKeyManager, String, T> get) {
    if (alias == null) return null;
    int colon = alias.indexOf(':');
    if (colon < 0) return null;
    String generation = alias.substring(0, colon);
    for (Loaded loaded : new Loaded[] {current, previous}) {
      if (loaded != null && generation.equals(Long.toString(loaded.generation()))) {
        return get.apply(loaded.keys(), alias.substring(colon + 1));
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    Loaded loaded = fresh();
    return aliases(loaded, loaded.keys().getClientAliases(keyType, issuers));
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    Loaded loaded = fresh();
    return alias(loaded, loaded.keys().chooseClientAlias(keyType, issuers, socket));
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    Loaded loaded = fresh();
    return alias(loaded, loaded.keys().chooseEngineClientAlias(keyType, issuers, engine));
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    Loaded loaded = fresh();
    return aliases(loaded, loaded.keys().getServerAliases(keyType, issuers));
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    Loaded loaded = fresh();
    return alias(loaded, loaded.keys().chooseServerAlias(keyType, issuers, socket));
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    Loaded loaded = fresh();
    return alias(loaded, loaded.keys().chooseEngineServerAlias(keyType, issuers, engine));
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return resolve(alias, X509ExtendedKeyManager::getCertificateChain);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return resolve(alias, X509ExtendedKeyManager::getPrivateKey);
  }
}
