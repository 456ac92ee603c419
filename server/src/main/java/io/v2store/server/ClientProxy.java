package io.v2store.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;
import io.v2store.raft.transport.AcceptErrors;
import io.v2store.http.ClientTls;
import io.v2store.raft.transport.NettyIo;
import io.v2store.server.config.ServerConfig;
import io.v2store.server.tls.ServerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * --proxy on: this process holds no data and is no member; it listens on the client URLs and
 * forwards each request to a member (ProxyForwarder), the members found from the initial
 * cluster's peer URLs (ProxyEndpoints). As etcd's v2 proxy on CoreOS worker machines: clients and
 * confd talk to 127.0.0.1:2379 wherever they run, and a request a member does not answer goes to
 * the next one.
 */
final class ClientProxy implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("etcd");

  /** Go's server takes request heads up to 1 MiB (http.DefaultMaxHeaderBytes). */
  private static final int MAX_LINE_BYTES = 1 << 20;
  private static final int MAX_HEADER_BYTES = 1 << 20;

  private final EventLoopGroup group = NettyIo.group(0);
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "proxy-refresh");
    t.setDaemon(true);
    return t;
  });
  private final List<Channel> listeners = new ArrayList<>();

  static ClientProxy start(ServerConfig config)
      throws InterruptedException, Discovery.DiscoveryException, IOException {
    ClientProxy proxy = new ClientProxy();
    try {
      proxy.open(config);
    } catch (RuntimeException | Error | InterruptedException | Discovery.DiscoveryException
        | IOException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  private void open(ServerConfig config)
      throws InterruptedException, Discovery.DiscoveryException, IOException {
    ProxyClusterFile clusterFile = new ProxyClusterFile(config.dataDir());
    List<URI> peers;
    Optional<List<URI>> saved = read(clusterFile);
    if (saved.isPresent()) {
      if (config.discovery().isPresent() || config.discoverySrv().isPresent()) {
        LOG.warning("proxy: discovery ignored since the proxy has already been initialized; "
            + "valid cluster file found at " + clusterFile.path());
      }
      peers = saved.get();
      LOG.info("proxy: using peer urls " + peers + " from cluster file " + clusterFile.path());
    } else {
      // With --discovery, as CoreOS workers were configured: the members registered there.
      Map<String, List<URI>> cluster = config.discovery().isPresent()
          ? Discovery.cluster(config.name(), config.discovery().get(), config.discoveryProxy())
          : config.discoverySrv().isPresent()
              ? SrvCluster.find(new SystemSrvResolver(), config.discoverySrv().get(), config.name(),
                  config.initialAdvertisePeerUrls(), false)
              : config.initialCluster();
      peers = cluster.values().stream().flatMap(List::stream).toList();
      LOG.info("proxy: using peer urls " + peers);
      save(clusterFile, peers);
    }
    // As etcd's proxy, the member list is asked for on the peer URLs with the peer TLS flags.
    ProxyEndpoints endpoints = new ProxyEndpoints(peers, config.proxy().failureWaitMillis(),
        config.proxy().dialTimeout(), ServerTls.forProxyPeers(config),
        changed -> save(clusterFile, changed));
    endpoints.refresh();
    // Every refresh interval; every second while no member list has been had (members that start
    // after their proxy are found at once, not a refresh interval later).
    long every = Math.max(1, config.proxy().refreshIntervalMillis());
    long[] last = {System.nanoTime()};
    refresher.scheduleWithFixedDelay(() -> {
      if (endpoints.isEmpty() || System.nanoTime() - last[0] >= every * 1_000_000) {
        endpoints.refresh();
        last[0] = System.nanoTime();
      }
    }, Math.min(every, 1_000), Math.min(every, 1_000), TimeUnit.MILLISECONDS);
    // As etcd's proxy: --cert-file/--key-file serve the https:// listeners (with
    // --trusted-ca-file/--client-cert-auth asking clients for certificates) and are the proxy's
    // own certificate towards members whose client URLs are https (without them, the peer TLS
    // flags are, as etcd's proxy has them).
    Optional<SslContext> listenerTls = ServerTls.forClients(config).map(ClientTls::serverContext);
    SslContext memberTls = ServerTls.forProxyUpstream(config);
    ProxyMetrics metrics = new ProxyMetrics();
    for (URI url : config.listenClientUrls()) {
      boolean tls = "https".equals(url.getScheme());
      if (!tls && !"http".equals(url.getScheme())) {
        throw new IllegalArgumentException("proxy: only http:// and https:// client URLs are supported: " + url);
      }
      // Go's listener defaults, as etcd's proxy has them: a vanished client's connection (and
      // the long poll relayed for it) is found out by keep-alive probes after 15 s idle.
      Channel listener = NettyIo.keepAlive(new ServerBootstrap(), 15).group(group)
          .channel(NettyIo.serverChannel())
          .option(ChannelOption.SO_REUSEADDR, true)
          .handler(new AcceptErrors())
          .childOption(ChannelOption.AUTO_READ, false)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              if (tls) channel.pipeline().addLast(listenerTls.orElseThrow().newHandler(channel.alloc()));
              // long URLs and heads as etcd takes them
              // and, as Go's server, a line ended by a bare LF (a hand-written request's)
              channel.pipeline().addLast(new HttpRequestDecoder(new HttpDecoderConfig()
                      .setStrictLineParsing(false).setMaxInitialLineLength(MAX_LINE_BYTES).setMaxHeaderSize(MAX_HEADER_BYTES)),
                  new HttpResponseEncoder(),
                  new ProxyRequestReader(config.proxy().readonly()),
                  new ProxyForwarder(endpoints, memberTls, config.proxy(), metrics));
            }
          })
          .bind(new InetSocketAddress(url.getHost(), url.getPort())).sync().channel();
      listeners.add(listener);
      LOG.info("proxy: listening for client requests on " + url);
    }
  }

  private static Optional<List<URI>> read(ProxyClusterFile file) {
    try {
      return file.read();
    } catch (IOException | RuntimeException e) {
      LOG.warning("proxy: cannot read cluster file " + file.path() + " (" + e.getMessage()
          + "); using the bootstrap flags");
      return Optional.empty();
    }
  }

  /** A proxy that cannot write its cluster file still serves; it logs why, as etcd's does. */
  private static void save(ProxyClusterFile file, List<URI> peers) {
    try {
      file.write(peers);
    } catch (IOException | RuntimeException e) {
      LOG.warning("proxy: cannot write cluster file " + file.path() + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    for (Channel listener : listeners) listener.close().awaitUninterruptibly();
    // Bounded: an event loop whose thread could not be made (a start stopped by a thread limit)
    // never terminates, and the start that failed would wait for it for good.
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
