package io.v2store.raft.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.v2store.raft.SnapshotSink;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The peer transport on Netty: listens on the peer port for the other members' connections and
 * keeps one outbound connection to each of them. Frames are length-prefixed protobuf; a
 * connection starts with a Hello carrying the cluster id and member ids, and a caller from
 * another cluster is refused. Inbound messages go to {@code inbound} on a network thread, which
 * must not block.
 */
public final class PeerTransport implements Transport, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PeerTransport.class.getName());
  private static final int THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());
  private static final int HANDSHAKE_THREADS = 4;

  private final long clusterId;
  private final long selfId;
  /** Every address the peer port listens on (etcd listens on each --listen-peer-urls). */
  private final List<InetSocketAddress> listen;
  private final Consumer<Message> inbound;
  private final PeerEvents events;
  private final TransportConfig config;
  private final PeerTls tls;
  /** Null when the peer port is plain TCP. */
  private final SslContext serverTls;
  /**
   * Runs the accepted connections' handshake tasks, whose certificate checks may look up a
   * caller's DNS names: never on the event loops that carry the peers' messages. Null with
   * serverTls.
   */
  private final ExecutorService handshakes;
  /** For https:// peer URLs; built at the first one unless TLS is configured (constructor). */
  private SslContext clientTls;
  private final EventLoopGroup group = NettyIo.group(THREADS);
  /**
   * TCP keep-alive on peer connections both ways, the first probe after 30 s idle, as etcd's
   * peer dialer sets it: a connection from a peer that vanished without closing it (power lost,
   * a partition that dropped the peer's state) held its channel, and any snapshot it was sending
   * its staging file, for as long as this member ran; one to such a peer waited for the kernel's
   * two hours before a probe.
   */
  static final int KEEP_ALIVE_SECONDS = 30;
  /**
   * The most a connection to a peer leaves unsent in the kernel (TCP_NOTSENT_LOWAT): the kernel
   * otherwise takes megabytes of a snapshot's chunks, and a heartbeat sent after them waited
   * until they had crossed the link, seconds on a slow one. Kept in the connection's queue
   * instead, they let the heartbeat go first (SnapshotPacer). What is in flight is not bounded,
   * so the link stays as full as before.
   */
  static final long UNSENT_BYTES = 64 << 10;
  /** Package-private for tests. */
  final ChannelGroup inboundChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  /** Callers cannot take every file descriptor (the log needs new files as it is written). */
  private ConnectionBudget peerBudget = ConnectionBudget.forPeers();
  private long idleCloseMillis = UntilPeerIdleClose.DEFAULT_MILLIS;
  private final Map<Long, PeerConnection> peers = new ConcurrentHashMap<>();
  private final Set<Long> removedPeers = ConcurrentHashMap.newKeySet();
  /** The bound listeners, one per listen address; empty until {@link #start}. */
  private final List<Channel> servers = new ArrayList<>();
  private boolean closed;
  private volatile java.util.function.Supplier<byte[]> clusterInfo = () -> new byte[0];
  private volatile PeerHttp peerHttp = PeerHttp.NONE;
  /** Where chunked snapshots are received; null puts them together in memory (at most 2 GiB). */
  private volatile SnapshotSink snapshotSink;

  public PeerTransport(
      long clusterId,
      long selfId,
      InetSocketAddress listen,
      Consumer<Message> inbound,
      PeerEvents events,
      TransportConfig config) {
    this(clusterId, selfId, listen, inbound, events, config, PeerTls.none());
  }

  /** As above, with TLS on the peer port and to https:// peers as {@code tls} says. */
  public PeerTransport(
      long clusterId,
      long selfId,
      InetSocketAddress listen,
      Consumer<Message> inbound,
      PeerEvents events,
      TransportConfig config,
      PeerTls tls) {
    this(clusterId, selfId, List.of(listen), inbound, events, config, tls);
  }

  /** As above, listening on each of {@code listen} (at least one). */
  public PeerTransport(
      long clusterId,
      long selfId,
      List<InetSocketAddress> listen,
      Consumer<Message> inbound,
      PeerEvents events,
      TransportConfig config,
      PeerTls tls) {
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("no address to listen for peers on");
    }
    if (selfId == 0) {
      throw new IllegalArgumentException("member id 0 is reserved");
    }
    this.clusterId = clusterId;
    this.selfId = selfId;
    this.listen = List.copyOf(listen);
    this.inbound = inbound;
    this.events = events;
    this.config = config;
    this.tls = tls;
    this.serverTls = tls.secureListener() ? tls.serverContext() : null;
    this.handshakes = serverTls == null ? null : handshakeThreads();
    // Building a JDK TLS context loads the trust store and the cipher suites: about a tenth of
    // a restart's time. A member with TLS flags builds it now, so bad key material fails at
    // start; a plain cluster builds it only if an https:// peer ever joins.
    this.clientTls = tls.keys().isPresent() || tls.trustedCas().isPresent()
        ? tls.clientContext() : null;
  }

  /**
   * At most a few threads, gone when idle: callers that open many handshakes at once queue
   * behind each other instead of each getting a thread.
   */
  private static ExecutorService handshakeThreads() {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(HANDSHAKE_THREADS, HANDSHAKE_THREADS, 30,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "peer-tls-handshake");
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Callers hold this transport's monitor. */
  private SslContext clientTls() {
    if (clientTls == null) clientTls = tls.clientContext();
    return clientTls;
  }

  public PeerTransport(
      long clusterId,
      long selfId,
      InetSocketAddress listen,
      Consumer<Message> inbound,
      LongConsumer unreachable) {
    this(clusterId, selfId, listen, inbound, PeerEvents.of(unreachable), TransportConfig.defaults());
  }

  /**
   * Binds the peer port, on every listen address.
   *
   * @return the first bound address (useful when listening on port 0)
   * @throws IllegalStateException if one of the addresses cannot be bound (none stays bound)
   */
  public synchronized InetSocketAddress start() {
    if (!servers.isEmpty() || closed) {
      throw new IllegalStateException("transport already started or closed");
    }
    final long idleMillis = idleCloseMillis;
    final ServerBootstrap bootstrap =
        NettyIo.keepAlive(new ServerBootstrap(), KEEP_ALIVE_SECONDS)
            .group(group)
            .channel(NettyIo.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel listener) {
                listener.pipeline().addLast(new AcceptErrors("peer port "), peerBudget);
              }
            })
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    inboundChannels.add(channel);
                    channel.pipeline().addLast(UntilPeerIdleClose.NAME,
                        new UntilPeerIdleClose(idleMillis));
                    if (serverTls != null) {
                      // the caller's address, for certificate rules that match it (the SAN check)
                      InetSocketAddress from = channel.remoteAddress();
                      channel.pipeline().addLast("tls", serverTls.newHandler(channel.alloc(),
                          from.getAddress().getHostAddress(), from.getPort(), handshakes));
                      channel.pipeline().addLast("tlsRejections", new PeerTlsRejections(selfId));
                    }
                    channel.pipeline().addLast("sniffer",
                        new PeerPortSniffer(peerHttp, Pipelines.NAMES));
                    Pipelines.install(
                        channel.pipeline(),
                        config,
                        FrameDecoder.MAX_HELLO_BYTES,
                        new InboundHandler(
                            clusterId, selfId, removedPeers, inbound, events::readComplete,
                            config.maxSnapshotBytes(),
                            snapshotSink,
                            () -> clusterInfo.get()));
                  }
                });
    for (InetSocketAddress address : listen) {
      final ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
      if (!bound.isSuccess()) {
        servers.forEach(channel -> channel.close().awaitUninterruptibly());
        servers.clear();
        throw new IllegalStateException("cannot listen for peers on " + address, bound.cause());
      }
      servers.add(bound.channel());
      LOG.log(
          Level.INFO,
          "member {0} listening for peers on {1}{2} (cluster {3})",
          Ids.hex(selfId),
          bound.channel().localAddress(),
          serverTls == null ? "" : " with TLS" + (tls.requireClientCert()
              ? ", peer certificates required" : ""),
          Ids.hex(clusterId));
    }
    return localAddress();
  }

  /** Before start: at most max inbound connections open at once (tests). */
  synchronized void limitConnections(int max) {
    peerBudget = new ConnectionBudget("peer", max, 0);
  }

  /**
   * Before start: how long an accepted connection has to say a hello we accept, or a plain HTTP
   * client to send its next request (tests).
   */
  synchronized void closeIdleAfter(long millis) {
    idleCloseMillis = millis;
  }

  /** The first listen address, as bound. */
  public synchronized InetSocketAddress localAddress() {
    if (servers.isEmpty()) {
      throw new IllegalStateException("transport not started");
    }
    return (InetSocketAddress) servers.get(0).localAddress();
  }

  /** What a joining member is told about the cluster (see {@link JoinQuery}); opaque here. */
  public void setClusterInfo(java.util.function.Supplier<byte[]> info) {
    this.clusterInfo = info;
  }

  /** What the peer port answers plain HTTP GETs with (before {@link #start}). */
  public void setPeerHttp(PeerHttp http) {
    this.peerHttp = http;
  }

  /**
   * Where snapshots sent in chunks are received (before {@link #start}): a file each, so that one
   * of any size is never held in memory. Without, they are put together in memory, up to 2 GiB.
   */
  public void setSnapshotSink(SnapshotSink sink) {
    this.snapshotSink = sink;
  }

  /** Starts the outbound connection to member id, or gives it new URLs. */
  public synchronized void addPeer(long id, List<URI> urls) {
    if (closed) {
      throw new IllegalStateException("transport closed");
    }
    if (id == 0 || id == selfId || urls.isEmpty()) {
      throw new IllegalArgumentException("bad peer " + Ids.hex(id) + " at " + urls);
    }
    final List<PeerConnection.Address> addresses = new ArrayList<>();
    for (URI url : urls) {
      addresses.add(new PeerConnection.Address(address(url),
          "https".equals(url.getScheme()) ? clientTls() : null, tls.nameToVerify(url.getHost())));
    }
    removedPeers.remove(id);
    final PeerConnection known = peers.get(id);
    if (known != null) {
      known.retarget(addresses);
      return;
    }
    final PeerConnection connection =
        new PeerConnection(clusterId, selfId, id, addresses, outboundBootstrap(), config, events);
    peers.put(id, connection);
    connection.connect();
  }

  /** Stops talking to member id and refuses its connections from now on. */
  public synchronized void removePeer(long id) {
    removedPeers.add(id);
    final PeerConnection connection = peers.remove(id);
    if (connection != null) {
      connection.close();
    }
  }

  /** The connection to member id, or null (for tests). */
  PeerConnection peer(long id) {
    return peers.get(id);
  }

  public boolean isConnected(long id) {
    final PeerConnection connection = peers.get(id);
    return connection != null && connection.isConnected();
  }

  @Override
  public void send(List<Message> messages) {
    for (Message message : messages) {
      final PeerConnection connection = peers.get(message.getTo());
      if (connection != null) {
        connection.send(message);
        continue;
      }
      events.unreachable(message.getTo());
      if (message.getType() == MessageType.MSG_SNAP) {
        events.snapshotSent(message.getTo(), true);
      }
    }
  }

  @Override
  public void close() {
    final List<Channel> listening;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      listening = List.copyOf(servers);
    }
    peers.values().forEach(PeerConnection::close);
    peers.clear();
    listening.forEach(channel -> channel.close().awaitUninterruptibly());
    inboundChannels.close().awaitUninterruptibly();
    // Bounded: the group's termination is announced through Netty's global executor, whose
    // thread a process out of threads cannot start; a failed start would then never exit.
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (handshakes != null) handshakes.shutdownNow();
  }

  private Bootstrap outboundBootstrap() {
    return NettyIo.notSentLowWatermark(NettyIo.keepAlive(new Bootstrap(), KEEP_ALIVE_SECONDS),
            UNSENT_BYTES)
        .group(group)
        .channel(NettyIo.channel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutMillis())
        .option(
            ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(config.maxQueuedBytes() / 2, config.maxQueuedBytes()));
  }

  private static InetSocketAddress address(URI url) {
    final boolean known = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
    if (!known || url.getHost() == null || url.getPort() < 0) {
      throw new IllegalArgumentException(
          "peer URL " + url + " must look like http://host:port or https://host:port");
    }
    return new InetSocketAddress(url.getHost(), url.getPort());
  }
}
