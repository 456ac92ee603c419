package io.v2store.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.v2store.http.DateHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An answer the proxy gives itself, not a member, with the headers etcd's proxy (and Go's server
 * under it) gives it. {@code close} says whether the connection ends after it.
 */
record ProxyOwnAnswer(FullHttpResponse response, boolean close) {

  /**
   * etcd's proxy's answers when no member takes the request: 503 when none is available (none
   * known, or all passed over after failing), 502 when every one tried failed just now.
   */
  static ProxyOwnAnswer noMember(int tried) {
    return proxyError(tried == 0 ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.BAD_GATEWAY,
        tried == 0 ? "zero endpoints currently available"
            : "unable to get response from " + tried + " endpoint(s)");
  }

  /** An error of etcd's proxy: JSON {"message":"httpproxy: ..."}, its CORS headers; then close. */
  static ProxyOwnAnswer proxyError(HttpResponseStatus status, String message) {
    return withCors(response(status, "{\"message\":\"httpproxy: " + message + "\"}"),
        "application/json", false);
  }

  /**
   * GET /v2/config/local/proxy, which etcd's proxy answers itself: the endpoints it would use now,
   * encoded as Go's JSON encoder does (a newline after), typed as Go's server sniffs it.
   */
  static ProxyOwnAnswer config(List<ProxyEndpoints.Endpoint> available, boolean keepAlive) {
    StringBuilder json = new StringBuilder("{\"endpoints\":[");
    for (int i = 0; i < available.size(); i++) {
      if (i > 0) json.append(',');
      json.append('"').append(available.get(i).url()).append('"');
    }
    FullHttpResponse r = response(HttpResponseStatus.OK, json.append("]}\n").toString());
    return withCors(r, "text/plain; charset=utf-8", keepAlive);
  }

  /** The proxy's own metrics, as Prometheus's handler serves them (no CORS: etcd serves them apart). */
  static ProxyOwnAnswer metrics(String text, boolean keepAlive) {
    FullHttpResponse r = response(HttpResponseStatus.OK, text);
    r.headers().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .set("Date", DateHeader.INSTANCE.now())
        .setInt("Content-Length", r.content().readableBytes());
    if (!keepAlive) r.headers().set("Connection", "close");
    return new ProxyOwnAnswer(r, !keepAlive);
  }

  /** Any other method there: Go's http.Error, with the Allow header etcd's proxy sets. */
  static ProxyOwnAnswer methodNotAllowed(boolean keepAlive) {
    FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed\n");
    r.headers().set("Allow", "GET");
    r.headers().set("X-Content-Type-Options", "nosniff");
    return withCors(r, "text/plain; charset=utf-8", keepAlive);
  }

  /** etcd's proxy's own CORS headers, Go's Content-Type, Date and Content-Length. */
  private static ProxyOwnAnswer withCors(FullHttpResponse r, String type, boolean keepAlive) {
    r.headers().set("Access-Control-Allow-Headers", "accept, content-type, authorization")
        .set("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE")
        .set("Access-Control-Allow-Origin", "*")
        .set("Content-Type", type)
        .set("Date", DateHeader.INSTANCE.now())
        .setInt("Content-Length", r.content().readableBytes());
    if (!keepAlive) r.headers().set("Connection", "close");
    return new ProxyOwnAnswer(r, !keepAlive);
  }

  /** etcd's readonly proxy refusing anything but a GET: 501 and no body, the connection kept. */
  static ProxyOwnAnswer notImplemented(HttpMethod method, boolean keepAlive) {
    FullHttpResponse r = response(HttpResponseStatus.NOT_IMPLEMENTED, "");
    HttpHeaders h = r.headers().set("Date", DateHeader.INSTANCE.now());
    if (!HttpMethod.HEAD.equals(method)) h.set("Content-Length", "0");
    if (!keepAlive) h.set("Connection", "close");
    return new ProxyOwnAnswer(r, !keepAlive);
  }

  /** What Go's server answers to a request head it cannot parse; it reads no further. */
  static ProxyOwnAnswer badRequest() {
    FullHttpResponse r = response(HttpResponseStatus.BAD_REQUEST, "400 Bad Request");
    r.headers().set("Content-Type", "text/plain; charset=utf-8")
        .set("Connection", "close");
    return new ProxyOwnAnswer(r, true);
  }

  private static FullHttpResponse response(HttpResponseStatus status, String body) {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
  }
}
