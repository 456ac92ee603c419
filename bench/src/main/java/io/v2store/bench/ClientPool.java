package io.v2store.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.v2store.raft.transport.Causes;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The client's event loops and the HTTP pipeline every connection gets. */
final class ClientPool implements AutoCloseable {
  private static final int MAX_RESPONSE_BYTES = 16 << 20;
  private static final int CONNECT_BATCH = 256;
  private static final boolean EPOLL = Epoll.isAvailable();

  static {
    // A comparison run on NIO is still fair (both sides get the same client), but the client then
    // takes more of the cores it shares with the servers: say so, once, and why.
    if (!EPOLL && System.getProperty("os.name", "").startsWith("Linux")) {
      System.err.println("bench: Netty's native epoll transport is unavailable ("
          + Causes.innermostMessage(Epoll.unavailabilityCause()) + "): running on the JDK's NIO,"
          + " at more CPU per request. bin/bench loads the library from bench/target/native");
    }
  }

  private final EventLoopGroup group;

  ClientPool(int ioThreads) {
    // Native epoll where it loads: the client shares the cores with the servers it measures, so
    // the less CPU it burns in the JDK selector's syscalls, the less it disturbs them.
    group = new MultiThreadIoEventLoopGroup(ioThreads,
        EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /**
   * Opens {@code count} connections spread round-robin over the endpoints, each with a handler
   * from the factory, and waits until all have connected (batched, so thousands do not overflow
   * the server's accept backlog at once). Answers are read by {@link LeanResponseDecoder} (status
   * and body only). With encodeRequests the handlers write Netty's request objects; without it
   * they write each request's bytes themselves (watchers: a few thousand re-arm at once per
   * write, and Netty's encoder would write the same head thousands of times over).
   */
  List<ChannelFuture> connect(List<URI> endpoints, int count, Supplier<ChannelHandler> handlers,
      boolean encodeRequests) throws InterruptedException {
    List<ChannelFuture> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      URI e = endpoints.get(i % endpoints.size());
      ChannelHandler handler = handlers.get();
      Bootstrap b = new Bootstrap().group(group).channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              if (encodeRequests) {
                ch.pipeline().addLast(new HttpRequestEncoder());
              }
              ch.pipeline().addLast(new LeanResponseDecoder(MAX_RESPONSE_BYTES), handler);
            }
          });
      out.add(b.connect(e.getHost(), e.getPort()));
      if (out.size() % CONNECT_BATCH == 0) {
        out.get(out.size() - 1).await(10, TimeUnit.SECONDS);
      }
    }
    for (ChannelFuture f : out) {
      f.await(10, TimeUnit.SECONDS);
    }
    return out;
  }

  static String hostHeader(URI endpoint) {
    return endpoint.getHost() + ":" + endpoint.getPort();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
