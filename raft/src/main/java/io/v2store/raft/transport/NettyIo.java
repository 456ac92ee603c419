package io.v2store.raft.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;

/**
 * The member's network I/O (the peer port, the client and metrics listeners in http-api, the
 * client proxy of --proxy on): Linux's native epoll when its library loads, the JDK's NIO
 * otherwise. Profiles of a loaded member showed most of its CPU in the JDK selector's syscalls (a
 * pipe or eventfd write per cross-thread wake-up, level-triggered polling); the native transport
 * does fewer of them.
 */
public final class NettyIo {
  private static final Logger LOG = Logger.getLogger(NettyIo.class.getName());
  private static final boolean EPOLL = Epoll.isAvailable();

  static {
    // On Linux the fallback is never expected: say why, once, so an operator can mend it (a /tmp
    // mounted noexec, for one, when the library is not found on java.library.path).
    if (!EPOLL && System.getProperty("os.name", "").startsWith("Linux")) {
      LOG.warning("the native epoll transport is unavailable (" + Causes.innermostMessage(Epoll.unavailabilityCause())
          + "): serving with the JDK's NIO, at more CPU per request. Netty loads its library from"
          + " java.library.path (the launchers' native directory) or copies it to java.io.tmpdir,"
          + " which must then allow executables");
    }
  }

  private NettyIo() {}

  /**
   * threads 0: Netty's default (twice the cores). Every loop's thread is started here, not on
   * the loop's first connection as Netty would: a process short of threads (a container's or a
   * unit's task limit) then fails while it starts, with the JVM's "unable to create native
   * thread", instead of serving on and dropping every connection given to a loop that cannot
   * start (seen with a pids cgroup: every other request closed without an answer, and SIGTERM
   * no longer stopped the process).
   */
  public static EventLoopGroup group(int threads) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
        EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    try {
      for (EventExecutor loop : group) loop.submit(() -> { }).syncUninterruptibly();
    } catch (RuntimeException | Error e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
    return group;
  }

  public static Class<? extends ServerSocketChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public static Class<? extends SocketChannel> channel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /**
   * TCP keep-alive on every accepted connection, the first probe after idleSeconds and then one
   * every idleSeconds, as Go's listeners set it: a client that vanished without closing is found
   * out after a few minutes and its connection freed.
   */
  public static ServerBootstrap keepAlive(ServerBootstrap bootstrap, int idleSeconds) {
    bootstrap.childOption(ChannelOption.SO_KEEPALIVE, true);
    if (EPOLL) {
      return bootstrap.childOption(EpollChannelOption.TCP_KEEPIDLE, idleSeconds)
          .childOption(EpollChannelOption.TCP_KEEPINTVL, idleSeconds);
    }
    return bootstrap
        .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds)
        .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), idleSeconds);
  }

  /**
   * At most unsentBytes waiting in the kernel's send buffer of a connection dialled (Linux's
   * native transport only; elsewhere the kernel's own sizing holds): the rest waits in the
   * connection's own queue, bounded and seen by the channel's writability.
   */
  public static Bootstrap notSentLowWatermark(Bootstrap bootstrap, long unsentBytes) {
    return EPOLL ? bootstrap.option(EpollChannelOption.TCP_NOTSENT_LOWAT, unsentBytes) : bootstrap;
  }

  /** The same for a connection dialled (etcd's proxy dials its members with a 30 s period). */
  public static Bootstrap keepAlive(Bootstrap bootstrap, int idleSeconds) {
    bootstrap.option(ChannelOption.SO_KEEPALIVE, true);
    if (EPOLL) {
      return bootstrap.option(EpollChannelOption.TCP_KEEPIDLE, idleSeconds)
          .option(EpollChannelOption.TCP_KEEPINTVL, idleSeconds);
    }
    return bootstrap
        .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds)
        .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), idleSeconds);
  }
}
