package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The two v2 auth calls clients make to learn that auth is off (spec 10.7). Turning auth on is
 * not supported: the v2 auth API is out of scope, and saying so beats a silent 404.
 */
final class AuthEndpoint implements Endpoint {
  private final MemberBackend backend;

  AuthEndpoint(MemberBackend backend) {
    this.backend = backend;
  }

  @Override
  public void handle(ChannelHandlerContext ctx, RoutedRequest request) {
    String body = switch (request.path()) {
      case "/v2/auth/enable" -> "{\"enabled\":false}\n";
      case "/v2/auth/users" -> "{\"users\":null}\n";
      case "/v2/auth/roles" -> "{\"roles\":null}\n";
      default -> null;
    };
    FullHttpResponse response;
    if (body == null) {
      response = Responses.notFound();
    } else if (request.method().equals("GET") || request.isHead()) {
      response = Responses.json(HttpResponseStatus.OK, body);
    } else {
      response = Responses.message(HttpResponseStatus.BAD_REQUEST,
          "the v2 auth API is not supported by this server; auth is disabled");
    }
    response.headers().set(Responses.CLUSTER_ID, Long.toHexString(backend.clusterId()));
    Responses.send(ctx, request.isHead(), response);
  }
}
