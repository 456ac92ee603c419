package io.v2store.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * The client port's I/O: Linux's native epoll when its library loads, the JDK's NIO otherwise.
 * Under read load the JDK selector's syscalls (a pipe or eventfd write per cross-thread wake-up,
 * level-triggered polling) took most of a member's CPU; the native transport does fewer of them.
 */
final class NettyIo {
  private static final boolean EPOLL = Epoll.isAvailable();

  private NettyIo() {}

  /** threads 0: Netty's default (twice the cores); every loop's thread started (see there). */
  static EventLoopGroup group(int threads) {
    return io.v2store.raft.transport.NettyIo.group(threads);
  }

  static Class<? extends ServerSocketChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** etcd's client listener probes an idle connection after 30 s, then every 30 s. */
  static final int KEEPALIVE_SECONDS = 30;

  /**
   * TCP keep-alive on every accepted connection, as etcd's client listener sets it: a client
   * that vanished without closing (power lost, partition, a NAT that dropped the mapping) is
   * found out after a few minutes, and its parked watch and file descriptor are freed, instead of
   * being kept for good (nothing else is written to a watch on a quiet key).
   */
  static ServerBootstrap keepAlive(ServerBootstrap bootstrap) {
    bootstrap.childOption(ChannelOption.SO_KEEPALIVE, true);
    if (EPOLL) {
      return bootstrap.childOption(EpollChannelOption.TCP_KEEPIDLE, KEEPALIVE_SECONDS)
          .childOption(EpollChannelOption.TCP_KEEPINTVL, KEEPALIVE_SECONDS);
    }
    return bootstrap
        .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), KEEPALIVE_SECONDS)
        .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
            KEEPALIVE_SECONDS);
  }
}
