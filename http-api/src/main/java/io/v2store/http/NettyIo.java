package io.v2store.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The client port's I/O: Linux's native epoll when its library loads, the JDK's NIO otherwise.
 * Under read load the JDK selector's syscalls (a pipe or eventfd write per cross-thread wake-up,
 * level-triggered polling) took most of a member's CPU; the native transport does fewer of them.
 */
final class NettyIo {
  private static final boolean EPOLL = Epoll.isAvailable();

  private NettyIo() {}

  /** threads 0: Netty's default (twice the cores). */
  static EventLoopGroup group(int threads) {
    return new MultiThreadIoEventLoopGroup(threads,
        EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  static Class<? extends ServerSocketChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }
}
