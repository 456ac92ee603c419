package io.v2store.server;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/** A client's request as etcd's proxy sends it on to a member. */
final class ProxiedRequest {
  /** etcd's proxy's list, from Go's httputil.ReverseProxy: not forwarded either way. */
  static final List<String> SINGLE_HOP = List.of("connection", "keep-alive",
      "proxy-authenticate", "proxy-authorization", "te", "trailers", "transfer-encoding", "upgrade");

  private ProxiedRequest() {}

  /**
   * HTTP/1.1, its body whole (retained: the caller releases {@code in}), without the single-hop
   * headers and Expect (answered by the proxy already), with the client's address appended to
   * X-Forwarded-For.
   */
  static FullHttpRequest of(FullHttpRequest in, SocketAddress from) {
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
}
