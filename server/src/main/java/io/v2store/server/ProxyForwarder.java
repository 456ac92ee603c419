package io.v2store.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import io.v2store.raft.transport.NettyIo;
import io.v2store.server.config.ProxySettings;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of the proxy: its requests, whole and one at a time (from
 * {@link ProxyRequestReader}), each forwarded to a member as etcd's proxy forwards them
 * ({@link ProxiedRequest}). A request that gets no answer from a member, because the member
 * refuses the connection or closes it before the answer's head, goes to the next member, as
 * etcd's proxy retries any request whose round trip fails; once the head came, the answer is
 * relayed as it arrives, framed as under etcd's proxy ({@link ProxiedAnswer}), and a member gone
 * mid-answer ends it where it stands. The member connection is kept for the client connection's
 * next request while both sides keep alive. Reads on each side wait for the other side's write
 * (no unbounded buffering beyond one request).
 */
final class ProxyForwarder extends ChannelInboundHandlerAdapter {
  /** A path etcd's proxy answers itself, with the endpoints it uses. */
  private static final String CONFIG_PATH = "/v2/config/local/proxy";
  /** The other: its own metrics, whatever the method, readonly or not. */
  static final String METRICS_PATH = "/metrics";

  private final ProxyEndpoints endpoints;
  private final SslContext memberTls;
  private final int dialTimeoutMillis;
  private final long readTimeoutMillis;
  private final long writeTimeoutMillis;
  private final ProxyMetrics metrics;
  private final ChannelFactory<? extends Channel> memberChannels;
  /** Requests (and the proxy's own answers) not yet begun, in the order they came. */
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private Channel client;
  private Channel member;
  private Exchange current;

  /** memberTls: how to talk to a member whose client URL is https; settings: the timeouts. */
  ProxyForwarder(ProxyEndpoints endpoints, SslContext memberTls, ProxySettings settings,
      ProxyMetrics metrics) {
    this(endpoints, memberTls, settings, metrics, new ReflectiveChannelFactory<>(NettyIo.channel()));
  }

  /** As above, the member connections made by memberChannels (tests). */
  ProxyForwarder(ProxyEndpoints endpoints, SslContext memberTls, ProxySettings settings,
      ProxyMetrics metrics, ChannelFactory<? extends Channel> memberChannels) {
    this.memberChannels = memberChannels;
    this.metrics = metrics;
    this.endpoints = endpoints;
    this.memberTls = memberTls;
    this.dialTimeoutMillis = settings.dialTimeout();
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
      if (m instanceof ProxyOwnAnswer answer) {
        var written = client.writeAndFlush(answer.response());
        if (answer.close()) {
          written.addListener(ChannelFutureListener.CLOSE);
          return;
        }
        continue;
      }
      FullHttpRequest request = (FullHttpRequest) m;
      ProxyOwnAnswer own = ownAnswer(request);
      if (own != null) {
        request.release();
        waiting.addFirst(own);
        continue;
      }
      metrics.incoming(request.method().name());
      current = new Exchange(ProxiedRequest.of(request, client.remoteAddress()),
          new ProxiedAnswer(request.protocolVersion(), HttpUtil.isKeepAlive(request),
              HttpMethod.HEAD.equals(request.method()), this::relay),
          endpoints.forNextRequest());
      request.release();
      send(current);
    }
  }

  /**
   * The answer etcd's proxy gives itself to this request (its metrics, its endpoints), or null
   * when a member is to answer it.
   */
  private ProxyOwnAnswer ownAnswer(FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    ProxyOwnAnswer answer;
    if (isPath(request, METRICS_PATH)) {
      answer = ProxyOwnAnswer.metrics(metrics.scrape(), keepAlive);
    } else if (isPath(request, CONFIG_PATH)) {
      answer = HttpMethod.GET.equals(request.method())
          ? ProxyOwnAnswer.config(endpoints.available(), keepAlive)
          : ProxyOwnAnswer.methodNotAllowed(keepAlive);
    } else {
      return null;
    }
    // a HEAD's answer has its length but not its body, as from Go's server
    if (HttpMethod.HEAD.equals(request.method())) answer.response().content().clear();
    return answer;
  }

  /** Sends the exchange's request on the kept member connection, or dials the next candidate. */
  private void send(Exchange exchange) {
    if (member != null && member.isActive()) {
      write(exchange, member, true);
      return;
    }
    member = null;
    if (exchange.tried >= exchange.candidates.size()) {
      metrics.dropped(exchange.method(), exchange.candidates.isEmpty()
          ? ProxyMetrics.Dropped.ZERO_ENDPOINTS : ProxyMetrics.Dropped.FAILED_GETTING_RESPONSE);
      finish(exchange);
      exchange.release();
      var written = client.writeAndFlush(ProxyOwnAnswer.noMember(exchange.candidates.size()).response());
      written.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ProxyEndpoints.Endpoint endpoint = exchange.candidates.get(exchange.tried++);
    if (!exchange.clientNamedHost) {
      // as Go's client, which names the member it sends to when the client named no host
      exchange.request.headers().set("Host",
          endpoint.host() + ":" + endpoint.address().getPort());
    }
    // keep-alive as etcd's proxy dials (30 s): a member that vanishes under a relayed long poll
    // is found out, and the client answered, instead of the poll waiting for good
    NettyIo.keepAlive(new Bootstrap(), 30).group(client.eventLoop()).channelFactory(memberChannels)
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
          // A dial that made no socket (out of file descriptors) is reported on Netty's global
          // executor: what follows touches this connection's state, the client's loop's alone.
          if (client.eventLoop().inEventLoop()) {
            dialled(exchange, endpoint, connected);
          } else {
            client.eventLoop().execute(() -> dialled(exchange, endpoint, connected));
          }
        });
  }

  private void dialled(Exchange exchange, ProxyEndpoints.Endpoint endpoint,
      io.netty.channel.ChannelFuture connected) {
    if (exchange != current) {
      // the client left while we dialled; a stand-in for a socket never made cannot be closed
      if (connected.channel().isRegistered()) connected.channel().close();
    } else if (connected.isSuccess()) {
      member = connected.channel();
      exchange.endpoint = endpoint;
      write(exchange, member, false);
    } else {
      failed(exchange, endpoint);
      send(exchange);
    }
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
      failed(exchange, exchange.endpoint);
    }
    send(exchange);
  }

  /** The member went mid-answer: the answer ends where it stands (see ProxiedAnswer). */
  private void endCutShort(Exchange exchange) {
    exchange.answer.cutShort();
    client.flush(); // no read from the member ends with a flush now
    ended(exchange);
  }

  /** A round trip to a member failed: passed over for a while, and counted as etcd counts it. */
  private void failed(Exchange exchange, ProxyEndpoints.Endpoint endpoint) {
    endpoints.failed(endpoint);
    metrics.dropped(exchange.method(), ProxyMetrics.Dropped.FAILED_SENDING_REQUEST);
  }

  private void head(HttpResponse in) {
    metrics.handled(current.method(), in.status().code(), current.startNanos);
    current.answered = true;
    current.answer.head(in, client.alloc());
  }

  private void content(Channel from, HttpContent part) {
    Exchange exchange = current;
    exchange.answer.part(part);
    if (!(part instanceof LastHttpContent)) return;
    if (!exchange.answer.keepMember()) {
      member = null;
      from.close();
    }
    ended(exchange);
  }

  /** The exchange is over: the client's connection closes, or its next request begins. */
  private void ended(Exchange exchange) {
    finish(exchange);
    exchange.release();
    if (exchange.answer.closeClient()) {
      closeAfterFlush(client);
    } else {
      next();
    }
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
      ReferenceCountUtil.release(m instanceof ProxyOwnAnswer answer ? answer.response() : m);
    }
    waiting.clear();
    if (member != null) member.close();
    member = null;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeAfterFlush(ctx.channel());
  }

  /** Whether the request is for the path, query aside (as Go's ServeMux matches it). */
  static boolean isPath(io.netty.handler.codec.http.HttpRequest request, String path) {
    return request.uri().startsWith(path) && path.equals(new QueryStringDecoder(request.uri()).path());
  }

  private static void closeAfterFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** One request on its way: where it has been tried, and its answer. */
  private static final class Exchange {
    final FullHttpRequest request;
    final ProxiedAnswer answer;
    final List<ProxyEndpoints.Endpoint> candidates;
    final long startNanos = System.nanoTime();
    /** Whether the client's request had a Host (kept); else each member tried is named. */
    final boolean clientNamedHost;
    int tried;
    ProxyEndpoints.Endpoint endpoint;
    boolean reused;
    boolean answered;

    Exchange(FullHttpRequest request, ProxiedAnswer answer, List<ProxyEndpoints.Endpoint> candidates) {
      this.request = request;
      this.answer = answer;
      this.candidates = candidates;
      this.clientNamedHost = request.headers().contains(HttpHeaderNames.HOST);
    }

    String method() {
      return request.method().name();
    }

    /** The exchange is over: its request and whatever its answer held go. */
    void release() {
      request.release();
      answer.release();
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
      if (ctx.channel() == member && current != null && current.answered) {
        current.answer.readEnded();
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
