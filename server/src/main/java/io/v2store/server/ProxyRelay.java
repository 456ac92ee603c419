package io.v2store.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.v2store.http.DateHeader;
import io.v2store.raft.transport.NettyIo;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One client connection of the proxy, relayed byte for byte to one member's client port: every
 * request on it (keep-alive, long-poll watches and all) reaches the member as the client sent it.
 * The first endpoint that accepts the connection is used; one that refuses is reported failed and
 * the next is tried. Reads on each side wait for the other side's write (no unbounded buffering).
 */
final class ProxyRelay extends ChannelInboundHandlerAdapter {

  private final ProxyEndpoints endpoints;
  private final SslContext memberTls;
  private final int dialTimeoutMillis;
  private Channel member;

  /** memberTls: how to talk to a member whose client URL is https. */
  ProxyRelay(ProxyEndpoints endpoints, SslContext memberTls, long dialTimeoutMillis) {
    this.endpoints = endpoints;
    this.memberTls = memberTls;
    this.dialTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, dialTimeoutMillis));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    connect(ctx.channel(), endpoints.forNextConnection(), 0);
  }

  private void connect(Channel client, List<ProxyEndpoints.Endpoint> candidates, int i) {
    if (i >= candidates.size()) {
      client.writeAndFlush(Unpooled.wrappedBuffer(noMember(candidates.size())))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ProxyEndpoints.Endpoint endpoint = candidates.get(i);
    new Bootstrap().group(client.eventLoop()).channel(NettyIo.channel())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, dialTimeoutMillis)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            if (endpoint.tls()) {
              channel.pipeline().addLast(memberTls.newHandler(channel.alloc(), endpoint.host(),
                  endpoint.address().getPort()));
            }
            channel.pipeline().addLast(new Backward(client));
          }
        })
        .connect(endpoint.address()).addListener((ChannelFutureListener) connected -> {
          if (connected.isSuccess()) {
            member = connected.channel();
            if (client.isActive()) {
              client.read();
            } else {
              member.close(); // the client left while we dialled
            }
          } else {
            endpoints.failed(endpoint);
            connect(client, candidates, i + 1);
          }
        });
  }

  /**
   * etcd's proxy's answers when no member takes the request: 503 when none is available (none
   * known, or all passed over after failing), 502 when every one tried failed just now.
   */
  static byte[] noMember(int tried) {
    return proxyError(tried == 0 ? "503 Service Unavailable" : "502 Bad Gateway",
        tried == 0 ? "zero endpoints currently available"
            : "unable to get response from " + tried + " endpoint(s)");
  }

  /** An error of etcd's proxy: JSON {"message":"httpproxy: ..."}, its CORS headers; then close. */
  static byte[] proxyError(String status, String message) {
    String body = "{\"message\":\"httpproxy: " + message + "\"}";
    return ("HTTP/1.1 " + status + "\r\n"
        + "Access-Control-Allow-Headers: accept, content-type, authorization\r\n"
        + "Access-Control-Allow-Methods: POST, GET, OPTIONS, PUT, DELETE\r\n"
        + "Access-Control-Allow-Origin: *\r\nContent-Type: application/json\r\n"
        + "Date: " + DateHeader.INSTANCE.now() + "\r\nConnection: close\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    relay(msg, ctx.channel(), member);
  }

  /** Writes what from read to to, and reads from again only once that write is done. */
  private static void relay(Object msg, Channel from, Channel to) {
    to.writeAndFlush(msg).addListener((ChannelFutureListener) written -> {
      if (written.isSuccess()) {
        from.read();
      } else {
        closeAfterFlush(from);
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (member != null) closeAfterFlush(member);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeAfterFlush(ctx.channel());
  }

  static void closeAfterFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The member's side: its answers go back to the client. */
  private static final class Backward extends ChannelInboundHandlerAdapter {
    private final Channel client;

    Backward(Channel client) {
      this.client = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      relay(msg, ctx.channel(), client);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closeAfterFlush(client);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeAfterFlush(ctx.channel());
    }
  }
}
