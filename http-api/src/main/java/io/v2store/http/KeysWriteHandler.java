package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;
import io.v2store.storage.pb.V2Request;
import java.util.concurrent.CompletableFuture;

/**
 * PUT, POST and DELETE: builds the V2Request, proposes it, and answers when it is applied here,
 * or with 500/300 "request timed out" after the request timeout (the write's outcome is then
 * unknown to the client, as with etcd).
 */
final class KeysWriteHandler {
  private final MemberBackend backend;
  private final KeysResponses responses;
  private final long timeoutMillis;

  KeysWriteHandler(MemberBackend backend, KeysResponses responses, long timeoutMillis) {
    this.backend = backend;
    this.responses = responses;
    this.timeoutMillis = timeoutMillis;
  }

  void handle(ChannelHandlerContext ctx, KeysRequest request, KeysMetrics.Request measured) {
    V2Request proposal = request.toV2Request();
    CompletableFuture<io.v2store.storage.store.Event> applied;
    try {
      applied = backend.propose(proposal);
    } catch (RuntimeException e) {
      responses.sendFailure(ctx, false, e, measured);
      return;
    }
    Deadlines.within(applied, ctx.executor(), timeoutMillis).whenComplete((event, failure) -> {
      if (failure != null) {
        responses.sendFailure(ctx, false, failure, measured);
      } else {
        responses.sendEvent(ctx, false, event, request.noValueOnSuccess(), measured);
      }
    });
  }
}
