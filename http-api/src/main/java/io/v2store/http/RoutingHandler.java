package io.v2store.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The routing table of spec 1.1: answers OPTIONS, redirects non-canonical paths (1.2), and hands
 * every other request to its endpoint, or answers 404. Malformed requests are answered 400 and the
 * connection is closed.
 */
@ChannelHandler.Sharable
final class RoutingHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = Logger.getLogger(RoutingHandler.class.getName());
  private final ShortOfMemoryLog shortOfMemory = new ShortOfMemoryLog(LOG);
  private final Map<String, Endpoint> exact;
  private final Endpoint keys;
  private final Endpoint members;
  private final Endpoint auth;
  /** Whether OPTIONS is answered here for every path (etcd's CORS wrapper on the client port). */
  private final boolean answersOptions;

  /**
   * keys/members/auth null on a metrics-only listener, whose exact table holds /metrics and
   * /health.
   */
  RoutingHandler(Map<String, Endpoint> exact, Endpoint keys, Endpoint members, Endpoint auth) {
    this(exact, keys, members, auth, true);
  }

  /** As above; answersOptions false hands OPTIONS to the endpoints, as a plain Go mux does. */
  RoutingHandler(Map<String, Endpoint> exact, Endpoint keys, Endpoint members, Endpoint auth,
      boolean answersOptions) {
    this.exact = exact;
    this.keys = keys;
    this.members = members;
    this.auth = auth;
    this.answersOptions = answersOptions;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      if (request.decoderResult().cause() instanceof TooLongHttpHeaderException) {
        Responses.headersTooLargeAndClose(ctx);
      } else {
        Responses.badRequestAndClose(ctx);
      }
      return;
    }
    if (lacksRequiredHost(request)) {
      Responses.badRequestAndClose(ctx, "missing required Host header");
      return;
    }
    if (request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
      Responses.badRequestAndClose(ctx); // Go's "too many Host headers", which it does not show
      return;
    }
    if (LOG.isLoggable(Level.FINE)) {
      // etcd's debug level shows every request so: PUT /config/local/log {"Level":"DEBUG"}
      LOG.fine("[" + request.method() + "] " + request.uri() + " remote:" + remote(ctx));
    }
    String uri = asUtf8(request.uri());
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    String rawQuery = q < 0 ? null : uri.substring(q + 1);
    if (rawPath.equals("*")) {
      answerAsterisk(ctx, request);
      return;
    }
    rawPath = stripAbsoluteForm(rawPath);
    if (rawPath == null) {
      Responses.badRequestAndClose(ctx);
      return;
    }
    String path;
    try {
      path = PercentDecoder.decodePath(rawPath);
    } catch (PercentDecoder.BadEscapeException e) {
      Responses.badRequestAndClose(ctx);
      return;
    }
    // OPTIONS never reaches a handler (spec 1.6), but as in Go's server a request line whose path
    // does not parse is refused before that: OPTIONS /v2/keys/%ZZ is a 400, as for any method.
    if (answersOptions && request.method().equals(HttpMethod.OPTIONS)) {
      Responses.send(ctx, false, Responses.full(HttpResponseStatus.OK, null, Unpooled.EMPTY_BUFFER));
      return;
    }
    String cleaned = PathCleaner.cleanRequestPath(path);
    if (!cleaned.equals(path)) {
      redirect(ctx, request, cleaned);
      return;
    }
    Endpoint endpoint = route(cleaned);
    if (endpoint == null) {
      Responses.send(ctx, request.method().equals(HttpMethod.HEAD), Responses.notFound());
      return;
    }
    RoutedRequest routed = new RoutedRequest(request, cleaned, rawQuery);
    try {
      endpoint.handle(ctx, routed);
    } catch (RuntimeException e) {
      // A bug must not leak a stack trace or kill the connection's pipeline; the log has it.
      LOG.log(Level.WARNING, "[" + request.method() + "] " + request.uri() + " failed", e);
      Responses.send(ctx, routed.isHead(),
          Responses.goError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error"));
    }
  }

  /** Go's RemoteAddr: host:port, without Java's leading slash. */
  private static String remote(ChannelHandlerContext ctx) {
    SocketAddress a = ctx.channel().remoteAddress();
    if (a instanceof InetSocketAddress inet) {
      String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
    return String.valueOf(a);
  }

  /** Go's server refuses an HTTP/1.1 request without a Host header (an empty one will do). */
  static boolean lacksRequiredHost(HttpRequest request) {
    return request.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && !request.headers().contains(HttpHeaderNames.HOST)
        && !request.method().equals(HttpMethod.CONNECT);
  }

  private Endpoint route(String path) {
    Endpoint e = exact.get(path);
    if (e != null) {
      return e;
    }
    if (keys != null && (path.equals("/v2/keys") || path.startsWith("/v2/keys/"))) {
      return keys;
    }
    if (members != null && (path.equals("/v2/members") || path.startsWith("/v2/members/"))) {
      return members;
    }
    // etcd's mux has /v2/auth/users/ and /v2/auth/roles/ as subtrees, /v2/auth/enable alone
    if (auth != null && (path.startsWith("/v2/auth/users/") || path.startsWith("/v2/auth/roles/"))) {
      return auth;
    }
    return null;
  }

  /**
   * Go's ServeMux redirect: 301, Location, and a small HTML body for GET only. The query is
   * repeated as the client's bytes (the request line as ISO-8859-1, one char per byte): as they
   * are in the body, and with each non-ASCII byte as a lower-case %xx in Location, as Go's
   * http.Redirect writes it.
   */
  private static void redirect(ChannelHandlerContext ctx, FullHttpRequest request, String cleaned) {
    int q = request.uri().indexOf('?');
    String rawQuery = q < 0 ? "" : request.uri().substring(q + 1);
    String location = PathCleaner.escapePath(cleaned) + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
    String method = request.method().name();
    FullHttpResponse response;
    if (method.equals("GET") || method.equals("HEAD")) {
      String body = "<a href=\"" + htmlEscape(location) + "\">Moved Permanently</a>.\n\n";
      response = Responses.full(HttpResponseStatus.MOVED_PERMANENTLY, "text/html; charset=utf-8",
          Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1));
    } else {
      response = Responses.full(HttpResponseStatus.MOVED_PERMANENTLY, null, Unpooled.EMPTY_BUFFER);
    }
    response.headers().set("Location", hexEscapeNonAscii(location));
    Responses.send(ctx, method.equals("HEAD"), response);
  }

  /** Go's hexEscapeNonASCII: a byte above 0x7F becomes '%' and its lower-case hex digits. */
  private static String hexEscapeNonAscii(String bytes) {
    StringBuilder out = new StringBuilder(bytes.length());
    for (int i = 0; i < bytes.length(); i++) {
      char c = bytes.charAt(i);
      if (c > 0x7f) {
        out.append('%').append(Integer.toHexString(c & 0xff));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String htmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&#34;").replace("'", "&#39;");
  }

  /** The request line is read as ISO-8859-1; raw non-ASCII bytes are UTF-8 in practice. */
  private static String asUtf8(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      if (uri.charAt(i) > 0x7F) {
        return GoUtf8.decode(uri.getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    return uri;
  }

  /** "http://host/path" -> "/path"; anything not starting with "/" otherwise is malformed. */
  /**
   * "OPTIONS *" asks about the server as a whole: Go's server answers it itself (200, empty, no
   * CORS headers). Any other method with "*" reaches etcd's handlers, which refuse it with an
   * empty 400 and close the connection.
   */
  private static void answerAsterisk(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.method().equals(HttpMethod.OPTIONS)) {
      FullHttpResponse ok = new Responses.WithoutCors(HttpResponseStatus.OK);
      ok.headers().setInt("Content-Length", 0);
      Responses.send(ctx, false, ok);
      return;
    }
    FullHttpResponse refused = Responses.full(HttpResponseStatus.BAD_REQUEST, null,
        Unpooled.EMPTY_BUFFER);
    refused.headers().set("Connection", "close");
    ctx.writeAndFlush(refused).addListener(ChannelFutureListener.CLOSE);
  }

  private static String stripAbsoluteForm(String rawPath) {
    if (rawPath.startsWith("/")) {
      return rawPath;
    }
    int scheme = rawPath.indexOf("://");
    if (scheme > 0) {
      int slash = rawPath.indexOf('/', scheme + 3);
      return slash < 0 ? "/" : rawPath.substring(slash);
    }
    return null;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof OutOfMemoryError shortOfMemory) {
      this.shortOfMemory.report(shortOfMemory, remote(ctx));
    }
    ctx.close();
  }
}
