package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;

/** /v2/stats/self, /leader (403 on a follower) and /store; GET only, no cluster id header. */
final class StatsEndpoint implements Endpoint {
  private final MemberBackend backend;
  private final Clock clock;

  StatsEndpoint(MemberBackend backend, Clock clock) {
    this.backend = backend;
    this.clock = clock;
  }

  @Override
  public void handle(ChannelHandlerContext ctx, RoutedRequest request) {
    if (!request.method().equals("GET")) {
      Responses.send(ctx, false, Responses.methodNotAllowed("GET"));
      return;
    }
    String body;
    switch (request.path()) {
      case "/v2/stats/self" -> body = StatsJson.self(backend.selfStats(), clock.millis());
      case "/v2/stats/store" -> body = StatsJson.store(backend.keySpace().stats());
      default -> {
        LeaderStats leader = backend.leaderStats();
        if (leader == null) {
          Responses.send(ctx, false,
              Responses.message(HttpResponseStatus.FORBIDDEN, "not current leader"));
          return;
        }
        body = StatsJson.leader(leader);
      }
    }
    Responses.send(ctx, false, Responses.json(HttpResponseStatus.OK, body));
  }
}
