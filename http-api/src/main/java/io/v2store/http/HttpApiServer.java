package io.v2store.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.v2store.raft.transport.AcceptErrors;
import io.v2store.raft.transport.ConnectionBudget;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * etcd's client-port HTTP API on Netty: bootstrap only. Client listeners serve the whole API;
 * metrics listeners (--listen-metrics-urls) serve only /metrics and /health.
 */
public final class HttpApiServer implements AutoCloseable {
  /**
   * One event loop per core, not Netty's two: nothing on these loops blocks (quorum reads and
   * writes complete from other threads), so a second loop per core only adds context switches
   * and splits the ready connections over more, smaller epoll wake-ups. Against Netty's default
   * on 2 cores (bench/README.md): quorum reads 1.11-1.15x, writes 1.02-1.06x, plain reads and
   * watch fan-out unchanged within the noise. {@code -Dio.netty.eventLoopThreads} still sets it.
   */
  private static final int WORKER_THREADS = Integer.getInteger("io.netty.eventLoopThreads",
      Runtime.getRuntime().availableProcessors());

  private static final long SHUTDOWN_WRITE_WAIT_MILLIS = 1_000;
  private final HttpApiConfig config;
  private final PrometheusMeterRegistry registry;
  private final ParkedWatches parked = new ParkedWatches();
  private final AnswersInFlight inFlight = new AnswersInFlight();
  private final RoutingHandler clientRouter;
  private final RoutingHandler metricsRouter;
  private final List<Channel> listeners = new ArrayList<>();
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private Optional<ClientTls> tls = Optional.empty();
  private SslContext sslContext;
  private final Passwords passwords = new Passwords();
  /** Shared by the client listeners; sized from the open file limit when they are bound. */
  private ConnectionBudget budget;
  /**
   * Shared by the metrics listeners (--listen-metrics-urls), out of what the limit leaves for
   * connections: health checks and scrapes there are answered however many clients wait on the
   * client listeners (a liveness probe on that URL restarts a member that does not answer).
   */
  private ConnectionBudget metricsBudget;

  public HttpApiServer(HttpApiConfig config, MemberBackend backend,
      PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    EventJsonEncoder encoder = new EventJsonEncoder(config.clock());
    KeysResponses responses = new KeysResponses(backend, encoder);
    long timeoutMillis = config.requestTimeoutMillis();
    AccessControl access = new AccessControl(backend, passwords);
    Endpoint keys = new KeysEndpoint(responses, access,
        new KeysReadHandler(backend, responses, timeoutMillis),
        new KeysWriteHandler(backend, responses, timeoutMillis),
        new WatchHandler(backend, responses, parked), new KeysMetrics(registry));
    Endpoint members = new MembersEndpoint(backend, timeoutMillis, access);
    Endpoint stats = new StatsEndpoint(backend, config.clock());
    InfoEndpoints info = new InfoEndpoints(backend, config, registry);
    Endpoint health = info.health();
    Endpoint metrics = info.metrics();
    Endpoint auth = new AuthEndpoint(backend, access, passwords, timeoutMillis);
    // etcd serves these whether or not the v2 API is on
    Map<String, Endpoint> basic = Map.of(
        "/version", info.version(),
        "/health", health,
        "/metrics", metrics,
        "/debug/vars", new DebugVarsEndpoint(backend),
        "/config/local/log", new LogLevelEndpoint());
    Map<String, Endpoint> v2 = new HashMap<>(basic);
    v2.putAll(Map.of(
        "/v2/machines", info.machines(),
        "/v2/stats/self", stats,
        "/v2/stats/leader", stats,
        "/v2/stats/store", stats,
        "/v2/auth/enable", auth,
        "/v2/auth/users", auth,
        "/v2/auth/roles", auth));
    this.clientRouter = config.enableV2()
        ? new RoutingHandler(Map.copyOf(v2), keys, members, auth)
        : new RoutingHandler(basic, null, null, null);
    // etcd's metrics listener is a plain mux: OPTIONS reaches its handlers, and no CORS headers
    this.metricsRouter = new RoutingHandler(Map.of("/health", health, "/metrics", metrics),
        null, null, null, false);
    Gauge.builder("etcd.http.watchers.parked", parked, ParkedWatches::size)
        .description("Watch responses currently parked waiting for an event")
        .register(registry);
  }

  /** Before start: at most max connections open at once over the client listeners (tests). */
  synchronized void limitConnections(int max) {
    budget = new ConnectionBudget("client", max, 0);
    metricsBudget = ConnectionBudget.forMetrics(0);
  }

  /** Binds every listener or, if one fails, none (the ones bound are closed) and throws. */
  public synchronized void start(List<URI> listenClientUrls, List<URI> listenMetricsUrls) {
    start(listenClientUrls, listenMetricsUrls, Optional.empty());
  }

  /** As {@link #start(List, List)}; https:// listeners use {@code tls}, which they require. */
  public synchronized void start(List<URI> listenClientUrls, List<URI> listenMetricsUrls,
      Optional<ClientTls> tls) {
    this.tls = tls;
    this.sslContext = tls.map(ClientTls::serverContext).orElse(null);
    if (bossGroup != null) {
      throw new IllegalStateException("already started");
    }
    if (budget == null) {
      budget = ConnectionBudget.forOpenFileLimit("client");
      metricsBudget = ConnectionBudget.forMetrics(budget.fileLimit());
      if (!listenMetricsUrls.isEmpty()) budget = budget.less(metricsBudget);
    }
    bossGroup = NettyIo.group(1);
    workerGroup = NettyIo.group(WORKER_THREADS);
    try {
      for (URI url : listenClientUrls) {
        listeners.add(bind(url, clientRouter, true));
      }
      for (URI url : listenMetricsUrls) {
        listeners.add(bind(url, metricsRouter, false));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private Channel bind(URI url, RoutingHandler router, boolean clientListener) {
    boolean https = "https".equals(url.getScheme());
    if (!https && !"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0) {
      throw new IllegalArgumentException("listen URL must be http(s)://host:port: " + url);
    }
    if (https && sslContext == null) {
      throw new IllegalArgumentException("cannot listen on TLS for " + url.getHost() + ":"
          + url.getPort() + ": KeyFile and CertFile are not presented");
    }
    String host = url.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    Set<String> hosts = Set.copyOf(config.hostWhitelist());
    ServerBootstrap bootstrap = NettyIo.keepAlive(new ServerBootstrap())
        .group(bossGroup, workerGroup)
        .channel(NettyIo.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel listener) {
            listener.pipeline().addLast(new AcceptErrors(),
                clientListener ? budget : metricsBudget);
          }
        })
        .childOption(ChannelOption.TCP_NODELAY, true)
        // a client that ends its side after its request still gets the answer (InOrderRequests)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, !https)
        .childHandler(new HttpApiInitializer(
            clientListener ? config.corsOrigins() : null, registry,
            (int) config.maxRequestBytes(), router, https ? sslContext : null,
            tls.map(ClientTls::memberName).orElse(""),
            clientListener && !https && HostWhitelistGate.guards(hosts) ? hosts : null,
            inFlight));
    try {
      return bootstrap.bind(new InetSocketAddress(host, url.getPort())).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + url, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot listen on " + url + ": " + e.getMessage(), e);
    }
  }

  /** Where the listeners are bound (client URLs first, then metrics), useful with port 0. */
  public synchronized List<InetSocketAddress> boundAddresses() {
    List<InetSocketAddress> result = new ArrayList<>();
    for (Channel c : listeners) {
      result.add((InetSocketAddress) c.localAddress());
    }
    return result;
  }

  /**
   * Closes the listeners, cuts parked watches (clients retry on another member), and gives the
   * requests being answered up to a request timeout to be answered (a write waiting for its
   * commit), as etcd's server does before it stops, before it closes the connections.
   */
  @Override
  public synchronized void close() {
    passwords.close();
    for (Channel c : listeners) {
      c.close().syncUninterruptibly();
    }
    listeners.clear();
    parked.endAll(SHUTDOWN_WRITE_WAIT_MILLIS);
    if (workerGroup != null) {
      inFlight.stopAndAwait(config.requestTimeoutMillis(), () -> parked.endAll(0));
    }
    if (workerGroup != null) {
      workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      workerGroup = null;
      bossGroup = null;
    }
  }
}
