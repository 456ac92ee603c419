package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * etcd's --host-whitelist on a plain http:// client listener (its guard against DNS rebinding,
 * CVE-2018-5702): a request whose Host, port aside, is not listed is answered 421 with etcd's
 * text before any handler sees it (it sits before the CORS handler, so the answer has none of
 * its headers); its body is discarded and the connection stays usable. https:// listeners and
 * the metrics listeners are not guarded, as in etcd. One instance per connection.
 */
final class HostWhitelistGate extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger("etcd");

  private final Set<String> hosts;
  private boolean discarding;

  /** {@code hosts} neither empty nor holding "*": those mean every host, and no gate. */
  HostWhitelistGate(Set<String> hosts) {
    this.hosts = hosts;
  }

  /** Whether a listener with this whitelist needs a gate at all. */
  static boolean guards(Set<String> hosts) {
    return !hosts.isEmpty() && !hosts.contains("*");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      String host = hostOf(request);
      // a 1.1 request without Host is Go's server's 400 before any handler: the router's
      if (!hosts.contains(host) && !RoutingHandler.lacksRequiredHost(request)) {
        discarding = !(msg instanceof LastHttpContent);
        io.netty.util.ReferenceCountUtil.release(msg);
        LOG.log(Level.WARNING, "rejecting HTTP request to prevent DNS rebinding attacks (host \""
            + host + "\")");
        ctx.writeAndFlush(rejection(host));
        return;
      }
      discarding = false;
    } else if (discarding && msg instanceof HttpContent content) {
      discarding = !(content instanceof LastHttpContent);
      content.release();
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Go's {@code Request.Host} (the absolute URI's authority, else the Host header) without its
   * port; as Go's SplitHostPort, a host without a port (even a bracketed IPv6 one) stays whole.
   */
  static String hostOf(HttpRequest request) {
    String uri = request.uri();
    String authority;
    int scheme = uri.indexOf("://");
    if (scheme > 0 && !uri.startsWith("/")) {
      int end = uri.indexOf('/', scheme + 3);
      authority = end < 0 ? uri.substring(scheme + 3) : uri.substring(scheme + 3, end);
    } else {
      String header = request.headers().get(HttpHeaderNames.HOST);
      authority = header == null ? "" : header;
    }
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      return close > 0 && authority.startsWith(":", close + 1)
          ? authority.substring(1, close) : authority;
    }
    int colon = authority.indexOf(':');
    return colon >= 0 && authority.indexOf(':', colon + 1) < 0
        ? authority.substring(0, colon) : authority;
  }

  /** etcd's words; Go's http.Error adds the last newline. */
  private static FullHttpResponse rejection(String host) {
    return Responses.goError(HttpResponseStatus.MISDIRECTED_REQUEST,
        "\netcd received your request, but the Host header was unrecognized.\n\n"
        + "To fix this, choose one of the following options:\n"
        + "- Enable TLS, then any HTTPS request will be allowed.\n"
        + "- Add the hostname you want to use to the whitelist in settings.\n"
        + "  - e.g. etcd --host-whitelist \"" + host + "\"\n\n"
        + "This requirement has been added to help prevent \"DNS Rebinding\" attacks "
        + "(CVE-2018-5702).\n");
  }
}
