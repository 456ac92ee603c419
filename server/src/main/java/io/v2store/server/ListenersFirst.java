package io.v2store.server;

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
 * on 2379 while this one is tried) stops a start with one line and nothing written. This member
 * binds its client port only once it has joined its cluster and published its URLs: without this
 * check such a start made the data dir, led a new cluster, published and then died with a stack
 * trace. Each address is bound and let go again here, peers first as etcd does; another process
 * could still take one in between, which the later bind reports as before.
 */
final class ListenersFirst {
  private ListenersFirst() {}

  static void check(ServerConfig config) {
    List<URI> urls = new ArrayList<>(config.listenPeerUrls());
    urls.addAll(config.listenClientUrls());
    urls.addAll(config.listenMetricsUrls());
    for (URI url : urls) {
      if (url.getHost() == null || url.getPort() < 0) continue; // refused with the flags' words
      if (url.getPort() > 65535) throw new ListenException("listen tcp: address " + url.getPort() + ": invalid port");
      String hostPort = url.getHost() + ":" + url.getPort();
      String host = url.getHost().startsWith("[")
          ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true); // as the listeners bind: a port in TIME_WAIT is free
        probe.bind(new InetSocketAddress(host, url.getPort()));
      } catch (IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName()
            : e.getMessage().replaceFirst(" \\(Bind failed\\)$", "").toLowerCase(Locale.ROOT);
        throw new ListenException("listen tcp " + hostPort + ": bind: " + reason);
      }
    }
  }

  /** A listen address that cannot be bound, in Go's words. */
  static final class ListenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenException(String message) {
      super(message, null, false, false);
    }
  }
}
