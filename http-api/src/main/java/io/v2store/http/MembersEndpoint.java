package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** /v2/members (spec 10.1), with etcd's statuses and {"message"} error bodies. */
final class MembersEndpoint implements Endpoint {
  static final String PREFIX = "/v2/members";
  private static final String ALLOW = "GET,POST,DELETE,PUT";
  private static final Set<String> METHODS = Set.of("GET", "POST", "DELETE", "PUT");
  private final MemberBackend backend;
  private final long timeoutMillis;
  private final AccessControl access;

  MembersEndpoint(MemberBackend backend, long timeoutMillis, AccessControl access) {
    this.backend = backend;
    this.timeoutMillis = timeoutMillis;
    this.access = access;
  }

  @Override
  public void handle(ChannelHandlerContext ctx, RoutedRequest request) {
    String method = request.method();
    if (!METHODS.contains(method)) {
      Responses.send(ctx, false, Responses.methodNotAllowed(ALLOW));
      return;
    }
    if (access.enabled() && !method.equals("GET")) {
      // v2 auth on: changing the membership takes the root role, as in etcd
      AccessControl.whenKnown(ctx, request.http(), access.writeRootAccess(ctx, request.http()),
          ok -> { if (ok) serve(ctx, request, method); else AuthEndpoint.noAuth(ctx); });
      return;
    }
    serve(ctx, request, method);
  }

  private void serve(ChannelHandlerContext ctx, RoutedRequest request, String method) {
    String sub = request.path().substring(PREFIX.length());
    sub = sub.startsWith("/") ? sub.substring(1) : sub;
    switch (method) {
      case "GET" -> get(ctx, sub);
      case "POST" -> add(ctx, request);
      case "DELETE" -> {
        Long id = parseId(ctx, sub);
        if (id != null) {
          complete(ctx, backend.removeMember(id), v -> Responses.noContent());
        }
      }
      default -> {
        Long id = parseId(ctx, sub);
        List<String> urls = id == null ? null : peerUrls(ctx, request);
        if (urls != null) {
          complete(ctx, backend.updateMember(id, urls), v -> Responses.noContent());
        }
      }
    }
  }

  private void get(ChannelHandlerContext ctx, String sub) {
    if (sub.isEmpty()) {
      send(ctx, Responses.json(HttpResponseStatus.OK,
          MemberJson.members(backend.members()) + "\n"));
    } else if (sub.equals("leader")) {
      long leader = backend.leaderId();
      Member m = leader == 0 ? null : backend.members().stream()
          .filter(x -> x.id() == leader).findFirst().orElse(null);
      if (m == null) {
        send(ctx, Responses.message(HttpResponseStatus.SERVICE_UNAVAILABLE, "During election"));
      } else {
        send(ctx, Responses.json(HttpResponseStatus.OK, MemberJson.member(m) + "\n"));
      }
    } else {
      send(ctx, Responses.message(HttpResponseStatus.NOT_FOUND, "Not found"));
    }
  }

  private void add(ChannelHandlerContext ctx, RoutedRequest request) {
    List<String> urls = peerUrls(ctx, request);
    if (urls != null) {
      complete(ctx, backend.addMember(urls), m -> Responses.json(HttpResponseStatus.CREATED,
          MemberJson.member(m) + "\n"));
    }
  }

  /** etcd's getID: no id is a 405 without Allow, an unparsable one "No such member". */
  private Long parseId(ChannelHandlerContext ctx, String sub) {
    if (sub.isEmpty()) {
      send(ctx, Responses.methodNotAllowed(null));
      return null;
    }
    try {
      if (sub.startsWith("+") || sub.startsWith("-")) {
        throw new NumberFormatException(sub);
      }
      return Long.parseUnsignedLong(sub, 16);
    } catch (NumberFormatException e) {
      send(ctx, Responses.message(HttpResponseStatus.NOT_FOUND, "No such member: " + sub));
      return null;
    }
  }

  private List<String> peerUrls(ChannelHandlerContext ctx, RoutedRequest request) {
    try {
      return PeerUrlsParser.parse(request.http().headers().get(HttpHeaderNames.CONTENT_TYPE),
          request.http().content().toString(StandardCharsets.UTF_8));
    } catch (PeerUrlsParser.Refusal r) {
      send(ctx, Responses.message(HttpResponseStatus.valueOf(r.status), r.getMessage()));
      return null;
    }
  }

  private <T> void complete(ChannelHandlerContext ctx, CompletableFuture<T> future,
      java.util.function.Function<T, FullHttpResponse> onSuccess) {
    Deadlines.within(future, ctx.executor(), timeoutMillis).whenComplete((value, failure) -> {
      if (failure == null) {
        send(ctx, onSuccess.apply(value));
      } else if (KeysResponses.unwrap(failure) instanceof MembershipException m) {
        send(ctx, Responses.message(HttpResponseStatus.valueOf(m.httpStatus()), m.getMessage()));
      } else {
        send(ctx, Responses.message(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "Internal Server Error"));
      }
    });
  }

  private void send(ChannelHandlerContext ctx, FullHttpResponse response) {
    response.headers().set(Responses.CLUSTER_ID, Responses.hex(backend.clusterId()));
    Responses.send(ctx, false, response);
  }
}
