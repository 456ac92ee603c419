package io.v2store.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.v2store.raft.transport.ConnectionBudget;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * etcd's client-port HTTP API on Netty: bootstrap only. Client listeners serve the whole API;
 * metrics listeners (--listen-metrics-urls) serve only /metrics and /health.
 */
public final class HttpApiServer implements AutoCloseable {
  private static final long SHUTDOWN_WRITE_WAIT_MILLIS = 1_000;
  private final HttpApiConfig config;
  private final PrometheusMeterRegistry registry;
  private final ParkedWatches parked = new ParkedWatches();
  private final AnswersInFlight inFlight = new AnswersInFlight();
  private final RoutingHandler clientRouter;
  private final RoutingHandler metricsRouter;
  /** Null until started or served. */
  private BoundListeners bound;
  private boolean stopped;
  private boolean clientsServed;
  /**
   * Where large answers (listings) are encoded (KeysReadHandler), beside the event loops: as many
   * threads as loops, so no more are encoded at once than when the loops encoded them, and none
   * while nobody lists. Its queue holds at most one answer a connection.
   */
  private final ThreadPoolExecutor largeAnswers = largeAnswerThreads();
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
        new KeysReadHandler(backend, responses, timeoutMillis, largeAnswers),
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

  private static ThreadPoolExecutor largeAnswerThreads() {
    ThreadPoolExecutor threads = new ThreadPoolExecutor(BoundListeners.WORKER_THREADS,
        BoundListeners.WORKER_THREADS,
        30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        new DefaultThreadFactory("large-answers", true));
    threads.allowCoreThreadTimeOut(true);
    return threads;
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
    if (bound != null) {
      throw new IllegalStateException("already started");
    }
    serve(BoundListeners.bind(listenClientUrls, listenMetricsUrls), tls);
  }

  /**
   * Starts accepting on listeners bound before, metrics listeners first ({@link #serveMetrics},
   * {@link #serveClients}): the connections waiting in their backlogs are served first.
   */
  public synchronized void serve(BoundListeners listeners, Optional<ClientTls> tls) {
    serveMetrics(listeners, tls);
    serveClients();
  }

  /**
   * Takes listeners bound before and starts the metrics listeners accepting, as etcd serves its
   * own once its server runs, before the member has published itself (a health check there is
   * answered, 503 without a leader); the client listeners accept nothing until
   * {@link #serveClients}. This server owns the listeners from now on; if they cannot be served
   * (an https:// listener without {@code tls}), they are closed and this throws.
   */
  public synchronized void serveMetrics(BoundListeners listeners, Optional<ClientTls> tls) {
    if (bound != null) {
      listeners.close();
      throw new IllegalStateException("already started");
    }
    bound = listeners;
    this.tls = tls;
    this.sslContext = tls.map(ClientTls::serverContext).orElse(null);
    try {
      for (BoundListeners.Listener l : listeners.clients) pipeline(l, clientRouter, true);
      for (BoundListeners.Listener l : listeners.metrics) pipeline(l, metricsRouter, false);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (budget == null) {
      // sized now, with the log's files open, not when the listeners were bound
      budget = ConnectionBudget.forOpenFileLimit("client");
      metricsBudget = ConnectionBudget.forMetrics(budget.fileLimit());
      if (!listeners.metrics.isEmpty()) budget = budget.less(metricsBudget);
    }
    for (BoundListeners.Listener l : listeners.metrics) accept(l, metricsBudget);
  }

  /**
   * Starts the client listeners accepting, once the member is ready. Only now is a listener given
   * its budget, whose resuming of a listener it paused could otherwise start one accepting early.
   */
  public synchronized void serveClients() {
    if (bound == null || stopped) throw new IllegalStateException("not serving");
    if (clientsServed) return;
    clientsServed = true;
    for (BoundListeners.Listener l : bound.clients) accept(l, budget);
  }

  private void pipeline(BoundListeners.Listener listener, RoutingHandler router,
      boolean clientListener) {
    URI url = listener.url();
    boolean https = "https".equals(url.getScheme());
    if (https && sslContext == null) {
      throw new IllegalArgumentException("cannot listen on TLS for " + url.getHost() + ":"
          + url.getPort() + ": KeyFile and CertFile are not presented");
    }
    Set<String> hosts = Set.copyOf(config.hostWhitelist());
    listener.children().set(new HttpApiInitializer(
        clientListener ? config.corsOrigins() : null, registry,
        (int) config.maxRequestBytes(), router, https ? sslContext : null,
        tls.map(ClientTls::memberName).orElse(""),
        clientListener && !https && HostWhitelistGate.guards(hosts) ? hosts : null,
        inFlight));
  }

  private static void accept(BoundListeners.Listener listener, ConnectionBudget budget) {
    listener.channel().pipeline().addFirst(budget);
    listener.channel().config().setAutoRead(true);
  }

  /** Where the listeners are bound (client URLs first, then metrics), useful with port 0. */
  public synchronized List<InetSocketAddress> boundAddresses() {
    return bound == null ? List.of() : bound.addresses();
  }

  /**
   * Closes the listeners, cuts parked watches (clients retry on another member), and gives the
   * requests being answered up to a request timeout to be answered (a write waiting for its
   * commit), as etcd's server does before it stops, before it closes the connections.
   */
  @Override
  public synchronized void close() {
    passwords.close();
    if (bound != null) bound.closeListeners();
    parked.endAll(SHUTDOWN_WRITE_WAIT_MILLIS);
    if (bound != null && !stopped) {
      stopped = true;
      inFlight.stopAndAwait(config.requestTimeoutMillis(), () -> parked.endAll(0));
      bound.close();
    }
    largeAnswers.shutdown();
  }
}
