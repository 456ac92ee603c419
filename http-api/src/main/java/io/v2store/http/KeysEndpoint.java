package io.v2store.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.EtcdException;
import java.util.Set;

/**
 * /v2/keys: checks the method, gathers the parameters (form body only for POST/PUT with a form
 * content type, spec 1.3), validates them (5.4) and dispatches to read, write or watch.
 */
final class KeysEndpoint implements Endpoint {
  static final String PREFIX = "/v2/keys";
  static final String ALLOW = "HEAD,GET,PUT,POST,DELETE";
  private static final Set<String> METHODS = Set.of("HEAD", "GET", "PUT", "POST", "DELETE");
  private final KeysResponses responses;
  private final KeysReadHandler reads;
  private final KeysWriteHandler writes;
  private final WatchHandler watches;
  private final KeysMetrics metrics;
  private final AccessControl access;

  KeysEndpoint(KeysResponses responses, AccessControl access, KeysReadHandler reads,
      KeysWriteHandler writes, WatchHandler watches, KeysMetrics metrics) {
    this.access = access;
    this.metrics = metrics;
    this.responses = responses;
    this.reads = reads;
    this.writes = writes;
    this.watches = watches;
  }

  @Override
  public void handle(ChannelHandlerContext ctx, RoutedRequest request) {
    String method = request.method();
    if (!METHODS.contains(method)) {
      Responses.send(ctx, false, Responses.methodNotAllowed(ALLOW));
      return;
    }
    boolean head = request.isHead();
    KeysRequest parsed;
    try {
      FormValues form = FormValues.parse(formBody(request.http()), request.rawQuery());
      String key = PathCleaner.keyPath(request.path(), PREFIX);
      parsed = KeysRequestParser.parse(method, key, form, responses.encoder().nowNanos());
    } catch (PercentDecoder.BadEscapeException e) {
      responses.sendFailure(ctx, head, EtcdError.INVALID_FORM.with(e.getMessage(), 0));
      return;
    } catch (EtcdException e) {
      responses.sendFailure(ctx, head, e);
      return;
    }
    if (access.enabled()) { // v2 auth on; off, this is the only cost
      // etcd checks the key as the request path has it: "" for /v2/keys itself
      String key = request.path().substring(PREFIX.length());
      KeysRequest checked = parsed;
      AccessControl.whenKnown(ctx, request.http(),
          access.keyAccess(ctx, request.http(), key, parsed.recursive()), ok -> {
            if (ok) {
              dispatch(ctx, request, checked);
            } else {
              responses.sendFailure(ctx, head,
                  EtcdError.UNAUTHORIZED.with("Insufficient credentials", 0));
            }
          });
      return;
    }
    dispatch(ctx, request, parsed);
  }

  private void dispatch(ChannelHandlerContext ctx, RoutedRequest request, KeysRequest parsed) {
    String method = request.method();
    boolean head = request.isHead();
    // etcd makes a GET with quorum=true a quorum read first, and a quorum read never waits
    boolean watch = parsed.waitForChange() && !parsed.quorum();
    KeysMetrics.Request measured = watch ? null : metrics.received(method, parsed.quorum());
    try {
      switch (method) {
        case "GET", "HEAD" -> {
          if (watch) {
            watches.handle(ctx, parsed);
          } else {
            reads.handle(ctx, head, parsed, measured);
          }
        }
        default -> writes.handle(ctx, parsed, measured);
      }
    } catch (RuntimeException e) {
      responses.sendFailure(ctx, head, e, measured);
    }
  }

  /**
   * The body as a form, or null: only POST/PUT/PATCH with application/x-www-form-urlencoded.
   *
   * @throws PercentDecoder.BadEscapeException a POST/PUT/PATCH Content-Type that Go's
   *     mime.ParseMediaType refuses, with its words (etcd then refuses the request)
   */
  static String formBody(FullHttpRequest http) throws PercentDecoder.BadEscapeException {
    String method = http.method().name();
    if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
      return null;
    }
    String contentType = http.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (contentType == null || contentType.isEmpty()) {
      return null; // Go reads it as application/octet-stream
    }
    String mediaType;
    try {
      mediaType = GoMime.parseMediaType(contentType);
    } catch (GoMime.MediaTypeException e) {
      throw new PercentDecoder.BadEscapeException(e.getMessage());
    }
    if (!mediaType.equals("application/x-www-form-urlencoded")) {
      return null;
    }
    return GoUtf8.decode(ByteBufUtil.getBytes(http.content()));
  }
}
