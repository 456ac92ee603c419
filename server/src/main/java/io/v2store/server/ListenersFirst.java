package io.v2store.server;

import io.v2store.http.BoundListeners;
import io.v2store.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * etcd binds every listener before it touches the data dir, so a port in use (the old etcd still
 * on 2379 while this one is tried) stops a start with one line and nothing written. The client
 * and metrics listeners are bound here for good ({@link #bindClients}), accepting nothing until
 * the member serves. The peer port is bound only when the transport starts, after the data is
 * read: its address is bound and let go again here ({@link #check}), peers first as etcd does;
 * another process could still take it in between, which the transport's bind reports.
 */
final class ListenersFirst {
  private ListenersFirst() {}

  /** Every listen URL's port is one; the peer addresses can be bound. */
  static void check(ServerConfig config) {
    List<URI> urls = new ArrayList<>(config.listenPeerUrls());
    urls.addAll(config.listenClientUrls());
    urls.addAll(config.listenMetricsUrls());
    for (URI url : urls) {
      if (url.getHost() == null || url.getPort() < 0) continue; // refused with the flags' words
      if (url.getPort() > 65535) throw new ListenException("listen tcp: address " + url.getPort() + ": invalid port");
    }
    probePeers(config);
  }

  private static void probePeers(ServerConfig config) {
    for (URI url : config.listenPeerUrls()) {
      if (url.getHost() == null || url.getPort() < 0) continue;
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true); // as the listeners bind: a port in TIME_WAIT is free
        probe.bind(new InetSocketAddress(host(url), url.getPort()));
      } catch (IOException e) {
        throw cannotBind(url, e);
      }
    }
  }

  /** The client and metrics listeners, bound and not accepting yet; after {@link #check}. */
  static BoundListeners bindClients(ServerConfig config) {
    BoundListeners bound;
    try {
      bound = BoundListeners.bind(config.listenClientUrls(), config.listenMetricsUrls());
    } catch (BoundListeners.BindFailure e) {
      throw cannotBind(e.url(), e.getCause());
    }
    // The peer addresses again, now that these are held: one that is also a client or metrics
    // listener's (a port given for both) cannot be bound by the transport later, once the data
    // dir is made and read. etcd's bind of the second finds it before.
    try {
      probePeers(config);
    } catch (ListenException e) {
      bound.close();
      throw e;
    }
    return bound;
  }

  private static String host(URI url) {
    return url.getHost().startsWith("[")
        ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
  }

  /** Go's words: "listen tcp 127.0.0.1:2379: bind: address already in use". */
  private static ListenException cannotBind(URI url, Throwable e) {
    // the JDK's "Address already in use (Bind failed)", Netty's native
    // "bind(..) failed: Address already in use"
    String reason = e.getMessage() == null ? e.getClass().getSimpleName()
        : e.getMessage().replaceFirst(" \\(Bind failed\\)$", "")
            .replaceFirst("^bind\\(\\.\\.\\) failed[^:]*: ", "").toLowerCase(Locale.ROOT);
    return new ListenException("listen tcp " + url.getHost() + ":" + url.getPort() + ": bind: " + reason);
  }

  /** A listen address that cannot be bound, in Go's words. */
  static final class ListenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenException(String message) {
      super(message, null, false, false);
    }
  }
}
