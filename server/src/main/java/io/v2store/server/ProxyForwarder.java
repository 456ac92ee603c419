package io.v2store.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import io.v2store.raft.transport.NettyIo;
import io.v2store.server.config.ProxySettings;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of the proxy: its requests, whole and one at a time (from
 * {@link ProxyRequestReader}), each forwarded to a member as etcd's proxy forwards them. A request
 * that gets no answer from a member, because the member refuses the connection or closes it
 * before the answer's head, goes to the next member, as etcd's proxy retries any request whose
 * round trip fails; once the head came, the answer is relayed as it arrives (a watch's event when
 * it happens; the head of an answer of unknown length waits for its body, as under etcd's proxy)
 * and a member gone mid-answer ends it where it stands, as etcd's proxy does. The member connection is kept for
 * the client connection's next request while both sides keep alive. Reads on each side wait for
 * the other side's write (no unbounded buffering beyond one request).
 */
final class ProxyForwarder extends ChannelInboundHandlerAdapter {
  /** The one path etcd's proxy answers itself, with the endpoints it uses. */
  private static final String CONFIG_PATH = "/v2/config/local/proxy";
  /** Go's server chunks an answer once its handler has written this much without ending. */
  private static final int GO_CHUNKING_BYTES = 2048;
  /** etcd's proxy's list, from Go's httputil.ReverseProxy: not forwarded either way. */
  private static final List<String> SINGLE_HOP = List.of("connection", "keep-alive",
      "proxy-authenticate", "proxy-authorization", "te", "trailers", "transfer-encoding", "upgrade");

  private final ProxyEndpoints endpoints;
  private final SslContext memberTls;
  private final int dialTimeoutMillis;
  private final long readTimeoutMillis;
  private final long writeTimeoutMillis;
  /** Requests (and the proxy's own answers) not yet begun, in the order they came. */
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private Channel client;
  private Channel member;
  private Exchange current;

  /** memberTls: how to talk to a member whose client URL is https; settings: the timeouts. */
  ProxyForwarder(ProxyEndpoints endpoints, SslContext memberTls, ProxySettings settings) {
    this.endpoints = endpoints;
    this.memberTls = memberTls;
    this.dialTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.dialTimeoutMillis()));
    this.readTimeoutMillis = settings.readTimeoutMillis();
    this.writeTimeoutMillis = settings.writeTimeoutMillis();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    client = ctx.channel();
    client.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    waiting.add(msg);
    if (current == null) next();
  }

  /** Begins the next waiting request, or reads the client's next one when none waits. */
  private void next() {
    while (current == null && client.isActive()) {
      Object m = waiting.poll();
      if (m == null) {
        client.read();
        return;
      }
      if (m instanceof ProxyAnswers answer) {
        var written = client.writeAndFlush(answer.response());
        if (answer.close()) {
          written.addListener(ChannelFutureListener.CLOSE);
          return;
        }
        continue;
      }
      FullHttpRequest request = (FullHttpRequest) m;
      if (request.uri().startsWith(CONFIG_PATH)
          && CONFIG_PATH.equals(new QueryStringDecoder(request.uri()).path())) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ProxyAnswers answer = HttpMethod.GET.equals(request.method())
            ? ProxyAnswers.config(endpoints.available(), keepAlive)
            : ProxyAnswers.methodNotAllowed(keepAlive);
        // a HEAD's answer has its length but not its body, as from Go's server
        if (HttpMethod.HEAD.equals(request.method())) answer.response().content().clear();
        request.release();
        waiting.addFirst(answer);
        continue;
      }
      current = new Exchange(forMember(request, client.remoteAddress()), request.protocolVersion(),
          HttpUtil.isKeepAlive(request), endpoints.forNextConnection());
      request.release();
      send(current);
    }
  }

  /**
   * The request as etcd's proxy sends it: HTTP/1.1, its body whole, without the single-hop
   * headers and Expect (answered here already), with the client's address in X-Forwarded-For.
   */
  private static FullHttpRequest forMember(FullHttpRequest in, java.net.SocketAddress from) {
    FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, in.method(), in.uri(),
        in.content().retain());
    HttpHeaders h = out.headers();
    boolean hadBody = HttpUtil.isContentLengthSet(in) || HttpUtil.isTransferEncodingChunked(in);
    h.set(in.headers());
    for (String name : SINGLE_HOP) h.remove(name);
    h.remove(HttpHeaderNames.EXPECT);
    h.remove(HttpHeaderNames.CONTENT_LENGTH);
    if (hadBody || in.content().isReadable()) h.setInt("Content-Length", in.content().readableBytes());
    if (from instanceof InetSocketAddress address) {
      String ip = address.getAddress().getHostAddress();
      List<String> prior = h.getAll("X-Forwarded-For");
      h.set("X-Forwarded-For", prior.isEmpty() ? ip : String.join(", ", prior) + ", " + ip);
    }
    return out;
  }

  /** Sends the exchange's request on the kept member connection, or dials the next candidate. */
  private void send(Exchange exchange) {
    if (member != null && member.isActive()) {
      write(exchange, member, true);
      return;
    }
    member = null;
    if (exchange.tried >= exchange.candidates.size()) {
      finish(exchange);
      exchange.release();
      var written = client.writeAndFlush(ProxyAnswers.noMember(exchange.candidates.size()).response());
      written.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ProxyEndpoints.Endpoint endpoint = exchange.candidates.get(exchange.tried++);
    if (!exchange.request.headers().contains(HttpHeaderNames.HOST)) {
      // as Go's client, which names the member when the client named no host
      exchange.request.headers().set("Host",
          endpoint.host() + ":" + endpoint.address().getPort());
    }
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
            // As etcd's proxy's connections: a read that waits longer than the read timeout
            // (a member that hangs) or a write that takes longer than the write timeout fails
            // the connection, and with it the round trip: the next member gets the request.
            if (readTimeoutMillis > 0) {
              channel.pipeline().addFirst(new ReadTimeoutHandler(readTimeoutMillis, TimeUnit.MILLISECONDS));
            }
            if (writeTimeoutMillis > 0) {
              channel.pipeline().addFirst(new WriteTimeoutHandler(writeTimeoutMillis, TimeUnit.MILLISECONDS));
            }
            channel.pipeline().addLast(new HttpClientCodec(), new MemberSide());
          }
        })
        .connect(endpoint.address()).addListener((ChannelFutureListener) connected -> {
          if (exchange != current) {
            connected.channel().close(); // the client left while we dialled
          } else if (connected.isSuccess()) {
            member = connected.channel();
            exchange.endpoint = endpoint;
            write(exchange, member, false);
          } else {
            endpoints.failed(endpoint);
            send(exchange);
          }
        });
  }

  private void write(Exchange exchange, Channel to, boolean reused) {
    exchange.reused = reused;
    to.writeAndFlush(exchange.request.retainedDuplicate()).addListener((ChannelFutureListener) w -> {
      if (w.isSuccess()) {
        to.read();
      } else {
        to.close(); // MemberSide's channelInactive tries the next member
      }
    });
  }

  /**
   * The member connection ended or failed before the answer's head: the same request goes to the
   * next member. A kept connection that the member had closed while idle is no failure of the
   * member (Go's client, too, sends again on a new connection then).
   */
  private void memberLost(Channel lost) {
    if (lost != member) return;
    member = null;
    Exchange exchange = current;
    if (exchange == null) return;
    if (exchange.answered) {
      endCutShort(exchange);
      return;
    }
    if (exchange.reused) {
      exchange.reused = false;
    } else if (exchange.endpoint != null) {
      endpoints.failed(exchange.endpoint);
    }
    send(exchange);
  }

  /**
   * The member went mid-answer. etcd's proxy's handler then returns and Go's server ends the
   * answer where it stands: an answer still held goes with what came of its body (a long poll
   * whose read timed out: 200 and no body), a chunked one gets its last chunk, and the connection
   * stays; one whose stated length was not reached can only be ended by closing.
   */
  private void endCutShort(Exchange exchange) {
    if (exchange.heldHead != null) {
      exchange.heldHead.headers().setInt("Content-Length", exchange.held.readableBytes());
      relay(framed(exchange, exchange.heldHead, true));
      relay(new DefaultLastHttpContent(exchange.held));
      exchange.heldHead = null;
      exchange.held = null;
    } else if (exchange.chunkedToClient) {
      relay(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      exchange.closeClient = true;
    }
    finish(exchange);
    exchange.release();
    if (exchange.closeClient) {
      closeAfterFlush(client);
    } else {
      client.flush();
      next();
    }
  }

  private void head(HttpResponse in) {
    Exchange exchange = current;
    exchange.answered = true;
    exchange.keepMember = HttpUtil.isKeepAlive(in);
    // Go's server answers in the client's version: an HTTP/1.0 client gets HTTP/1.0
    HttpResponse out = new DefaultHttpResponse(exchange.clientVersion, in.status());
    out.headers().set(in.headers());
    for (String name : SINGLE_HOP) out.headers().remove(name);
    boolean bodiless = HttpMethod.HEAD.equals(exchange.request.method())
        || in.status().codeClass() == HttpStatusClass.INFORMATIONAL
        || in.status().code() == 204 || in.status().code() == 304;
    if (bodiless || HttpUtil.isContentLengthSet(in)) {
      relay(framed(exchange, out, true));
    } else {
      // The member's chunks (a watch's, say): as Go's server under etcd's proxy, the head waits
      // for the body, and goes with its length when the body ends within 2 KiB and the read
      // that brought its start.
      exchange.heldHead = out;
      exchange.held = client.alloc().compositeBuffer(Integer.MAX_VALUE);
    }
  }

  /**
   * The head's framing and connection headers. An answer of unknown length goes chunked to an
   * HTTP/1.1 client and, as Go's server does, up to the connection's close to an HTTP/1.0 one.
   * Go's server says close to an HTTP/1.1 client and keep-alive to an HTTP/1.0 one it keeps.
   */
  private static HttpResponse framed(Exchange exchange, HttpResponse out, boolean delimited) {
    boolean clientHttp11 = exchange.clientVersion.minorVersion() > 0;
    HttpHeaders h = out.headers();
    exchange.closeClient = !exchange.keepAlive;
    if (!delimited) {
      if (clientHttp11) {
        h.set("Transfer-Encoding", HttpHeaderValues.CHUNKED);
        exchange.chunkedToClient = true;
      } else {
        exchange.closeClient = true;
      }
    }
    if (clientHttp11 && exchange.closeClient) {
      h.set("Connection", HttpHeaderValues.CLOSE);
    } else if (!clientHttp11 && !exchange.closeClient) {
      h.set("Connection", HttpHeaderValues.KEEP_ALIVE);
    }
    return out;
  }

  private void content(Channel from, HttpContent part) {
    Exchange exchange = current;
    if (exchange.heldHead == null) {
      relay(part.retain());
    } else {
      exchange.held.addComponent(true, part.content().retain());
      if (part instanceof LastHttpContent) {
        exchange.heldHead.headers().setInt("Content-Length", exchange.held.readableBytes());
        relay(framed(exchange, exchange.heldHead, true));
        relay(new DefaultLastHttpContent(exchange.held));
        exchange.heldHead = null;
        exchange.held = null;
      } else if (exchange.held.readableBytes() > GO_CHUNKING_BYTES) {
        releaseHeld(exchange);
      }
    }
    if (!(part instanceof LastHttpContent)) return;
    finish(exchange);
    exchange.release();
    if (!exchange.keepMember) {
      member = null;
      from.close();
    }
    if (exchange.closeClient) {
      closeAfterFlush(client);
    } else {
      next();
    }
  }

  /** The held head, chunked, and the body so far. */
  private void releaseHeld(Exchange exchange) {
    relay(framed(exchange, exchange.heldHead, false));
    relay(new DefaultHttpContent(exchange.held));
    exchange.heldHead = null;
    exchange.held = null;
  }

  /** Writes a part of the answer to the client; flushed once the member's read batch ends. */
  private void relay(Object part) {
    client.write(part).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  /**
   * The end of a read from the member: what it brought goes to the client in one flush, and the
   * member is read again once that is written, so a slow client slows the member's side down.
   */
  private void flushToClient(Channel from) {
    client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
      if (written.isSuccess()) {
        if (from == member) from.read();
      } else {
        closeAfterFlush(client);
      }
    });
  }

  private void finish(Exchange exchange) {
    if (current == exchange) current = null;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange exchange = current;
    current = null;
    if (exchange != null) exchange.release();
    for (Object m : waiting) {
      ReferenceCountUtil.release(m instanceof ProxyAnswers answer ? answer.response() : m);
    }
    waiting.clear();
    if (member != null) member.close();
    member = null;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeAfterFlush(ctx.channel());
  }

  private static void closeAfterFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** One request on its way: where it has been tried, and what its answer asks of the connections. */
  private static final class Exchange {
    final FullHttpRequest request;
    final HttpVersion clientVersion;
    final boolean keepAlive;
    final List<ProxyEndpoints.Endpoint> candidates;
    int tried;
    ProxyEndpoints.Endpoint endpoint;
    boolean reused;
    boolean answered;
    boolean keepMember;
    boolean closeClient;
    boolean chunkedToClient;
    /** An answer of unknown length, held until its length is known or it passes 2 KiB. */
    HttpResponse heldHead;
    CompositeByteBuf held;

    /** The exchange is over: its request and whatever it held go. */
    void release() {
      request.release();
      if (held != null) held.release();
      held = null;
      heldHead = null;
    }

    Exchange(FullHttpRequest request, HttpVersion clientVersion, boolean keepAlive,
        List<ProxyEndpoints.Endpoint> candidates) {
      this.request = request;
      this.clientVersion = clientVersion;
      this.keepAlive = keepAlive;
      this.candidates = candidates;
    }
  }

  /** The member's side of the connection pair: its answer's parts, and its end. */
  private final class MemberSide extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.read(); // a TLS handshake needs it; otherwise nothing comes before a request
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (ctx.channel() != member || current == null) return; // nothing asked of it
        if (msg instanceof HttpResponse response) {
          if (response.decoderResult().isFailure()) {
            ctx.close();
            return;
          }
          if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            ctx.read(); // a 100 Continue to a request sent whole: the final answer follows
            return;
          }
          head(response);
        }
        if (msg instanceof HttpContent part && current != null && current.answered) {
          content(ctx.channel(), part);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      // Unlike Go's server, which holds up to 2 KiB of a stream=true watch's events until more
      // come: a body begun and not ended within one read goes out, chunked, at once.
      Exchange exchange = current;
      if (ctx.channel() == member && exchange != null && exchange.heldHead != null
          && exchange.held.isReadable()) {
        releaseHeld(exchange);
      }
      flushToClient(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      memberLost(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
