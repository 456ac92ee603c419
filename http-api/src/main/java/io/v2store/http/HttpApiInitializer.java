package io.v2store.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Set;

/** The pipeline of one client or metrics connection, nothing else. */
final class HttpApiInitializer extends ChannelInitializer<SocketChannel> {
  /** Long keys travel in the request line (etcd's own port resets a line over ~4 KiB). */
  private static final int MAX_LINE_BYTES = 64 * 1024;
  /**
   * Go's server reads up to 1 MiB of headers and 4 KiB besides before it answers 431: a client
   * whose headers fit there (a large Authorization, cookies through a proxy) must fit here too.
   */
  private static final int MAX_HEADER_BYTES = (1 << 20) + 4096;
  /**
   * Netty's codec closes a connection on which more than 128 requests are read and not yet
   * answered (a client that pipelines its writes, or its reads behind a waiting watch), where
   * Go's server answers each in turn: 2,000 pipelined PUTs got 18 answers and a reset. What is
   * read and not answered is bounded instead by {@link InOrderRequests}, which stops reading the
   * connection, and {@link PausedReadGate}, which then stops handing the codec what was read.
   */
  private static final int MAX_PIPELINE_DEPTH = Integer.MAX_VALUE;

  /** Null on a metrics listener, which etcd serves without CORS headers. */
  private final List<String> corsOrigins;
  private final RequestCounters counters;
  private final int maxRequestBytes;
  private final RoutingHandler router;
  /** Null on an http:// listener. */
  private final SslContext sslContext;
  private final String memberName;
  /** The Host names answered; null: any (https, metrics, or no whitelist). */
  private final Set<String> hostWhitelist;
  private final AnswersInFlight inFlight;

  HttpApiInitializer(List<String> corsOrigins, MeterRegistry registry, int maxRequestBytes,
      RoutingHandler router) {
    this(corsOrigins, registry, maxRequestBytes, router, null, "", null, new AnswersInFlight());
  }

  HttpApiInitializer(List<String> corsOrigins, MeterRegistry registry, int maxRequestBytes,
      RoutingHandler router, SslContext sslContext, String memberName,
      Set<String> hostWhitelist, AnswersInFlight inFlight) {
    this.hostWhitelist = hostWhitelist;
    this.inFlight = inFlight;
    this.sslContext = sslContext;
    this.memberName = memberName;
    this.corsOrigins = corsOrigins;
    this.counters = new RequestCounters(registry);
    this.maxRequestBytes = maxRequestBytes;
    this.router = router;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    if (sslContext != null) {
      p.addLast("tls", sslContext.newHandler(ch.alloc()));
      p.addLast("tlsRejections", new TlsRejectionLogger(memberName));
    }
    p.addLast("readGate", new PausedReadGate());
    p.addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
        // Go's server ends a line at a bare LF too: hand-written requests (printf ... | nc) have them
        .setStrictLineParsing(false)
        .setMaxInitialLineLength(MAX_LINE_BYTES)
        .setMaxHeaderSize(MAX_HEADER_BYTES), MAX_PIPELINE_DEPTH));
    p.addLast("date", DateHeader.INSTANCE);
    p.addLast("keepAlive", new HttpServerKeepAliveHandler());
    p.addLast("http10", new Http10Answers());
    p.addLast("inOrder", new InOrderRequests(inFlight));
    if (hostWhitelist != null) p.addLast("hostWhitelist", new HostWhitelistGate(hostWhitelist));
    if (corsOrigins != null) p.addLast("cors", new CorsHandler(corsOrigins));
    p.addLast("metrics", new RequestMetricsHandler(counters));
    p.addLast("aggregator", new BoundedAggregator(maxRequestBytes));
    p.addLast("router", router);
  }
}
