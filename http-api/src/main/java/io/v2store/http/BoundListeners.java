package io.v2store.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.v2store.raft.transport.AcceptErrors;
import io.v2store.raft.transport.NettyIo;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client and metrics listeners, bound before the member reads its data, as etcd binds its
 * own: a port in use stops the start before anything is read or written, and until an
 * {@link HttpApiServer} serves on them they accept nothing. A client's connection is completed
 * by the kernel into the listener's backlog and its request waits there until the member serves,
 * instead of being refused while the member replays its log or waits for a quorum.
 */
public final class BoundListeners implements AutoCloseable {
  /**
   * One event loop per core, not Netty's two: nothing on these loops blocks (quorum reads and
   * writes complete from other threads), so a second loop per core only adds context switches
   * and splits the ready connections over more, smaller epoll wake-ups. Against Netty's default
   * on 2 cores (bench/README.md): quorum reads 1.11-1.15x, writes 1.02-1.06x, plain reads and
   * watch fan-out unchanged within the noise. {@code -Dio.netty.eventLoopThreads} still sets it.
   */
  static final int WORKER_THREADS = Integer.getInteger("io.netty.eventLoopThreads",
      Runtime.getRuntime().availableProcessors());

  /** One listening socket; its connections get {@code children}'s pipeline once served. */
  record Listener(URI url, Channel channel, ChildPipeline children) {}

  final EventLoopGroup bossGroup;
  final EventLoopGroup workerGroup;
  final List<Listener> clients = new ArrayList<>();
  final List<Listener> metrics = new ArrayList<>();
  private boolean closed;

  /**
   * TCP keep-alive on every accepted connection, as etcd's client listener sets it (a probe after
   * 30 s idle, then every 30 s): a client that vanished without closing (power lost, partition, a
   * NAT that dropped the mapping) is found out after a few minutes, and its parked watch and file
   * descriptor are freed, instead of being kept for good (nothing else is written to a watch on a
   * quiet key).
   */
  static final int KEEPALIVE_SECONDS = 30;

  private BoundListeners() {
    // the same transport as the peer port's (epoll when its library loads), every loop started
    bossGroup = NettyIo.group(1);
    workerGroup = NettyIo.group(WORKER_THREADS);
  }

  /**
   * Binds every listener, accepting nothing yet, or, if one fails, none (the ones bound are
   * closed) and throws: {@link BindFailure} for an address that cannot be bound.
   */
  public static BoundListeners bind(List<URI> clientUrls, List<URI> metricsUrls) {
    BoundListeners bound = new BoundListeners();
    try {
      for (URI url : clientUrls) bound.clients.add(bound.bind(url));
      for (URI url : metricsUrls) bound.metrics.add(bound.bind(url));
    } catch (RuntimeException e) {
      bound.close();
      throw e;
    }
    return bound;
  }

  private Listener bind(URI url) {
    boolean https = "https".equals(url.getScheme());
    if (!https && !"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0) {
      throw new IllegalArgumentException("listen URL must be http(s)://host:port: " + url);
    }
    String host = url.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    ChildPipeline children = new ChildPipeline();
    ServerBootstrap bootstrap = NettyIo.keepAlive(new ServerBootstrap(), KEEPALIVE_SECONDS)
        .group(bossGroup, workerGroup)
        .channel(NettyIo.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        // nothing is accepted until served: connections wait in the backlog
        .option(ChannelOption.AUTO_READ, false)
        .handler(new AcceptErrors())
        .childOption(ChannelOption.TCP_NODELAY, true)
        // a client that ends its side after its request still gets the answer (InOrderRequests)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, !https)
        .childHandler(children);
    try {
      Channel channel = bootstrap.bind(new InetSocketAddress(host, url.getPort())).sync().channel();
      return new Listener(url, channel, children);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + url, e);
    } catch (Exception e) {
      throw new BindFailure(url, e);
    }
  }

  /** Where the listeners are bound (client URLs first, then metrics), useful with port 0. */
  public synchronized List<InetSocketAddress> addresses() {
    List<InetSocketAddress> result = new ArrayList<>();
    if (closed) return result;
    for (Listener l : clients) result.add((InetSocketAddress) l.channel().localAddress());
    for (Listener l : metrics) result.add((InetSocketAddress) l.channel().localAddress());
    return result;
  }

  /** Stops listening: the connections waiting in the backlog are reset. */
  synchronized void closeListeners() {
    if (closed) return;
    for (Listener l : clients) l.channel().close().syncUninterruptibly();
    for (Listener l : metrics) l.channel().close().syncUninterruptibly();
    closed = true;
  }

  /** Closes the listeners and the connections' event loops; again, nothing. */
  @Override
  public synchronized void close() {
    closeListeners();
    if (!bossGroup.isShuttingDown()) {
      // Bounded, as the peer transport's: a process out of threads never hears the groups end.
      workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
      bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /** An address that cannot be bound (in use, not this host's); the cause says why. */
  public static final class BindFailure extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient URI url;

    BindFailure(URI url, Throwable cause) {
      super("cannot listen on " + url + ": " + cause.getMessage(), cause);
      this.url = url;
    }

    public URI url() {
      return url;
    }
  }

  /**
   * A connection's pipeline, set when the listener is served: none is accepted before (the
   * listener does not read), so none is ever left without one.
   */
  @Sharable
  static final class ChildPipeline extends ChannelInitializer<Channel> {
    private volatile ChannelHandler pipeline;

    void set(ChannelHandler pipeline) {
      this.pipeline = pipeline;
    }

    @Override
    protected void initChannel(Channel child) {
      ChannelHandler set = pipeline;
      if (set == null) {
        child.close(); // cannot happen: accepting starts once it is set
        return;
      }
      child.pipeline().addLast(set);
    }
  }
}
