package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;
import io.v2store.storage.store.Event;

/** GET and HEAD without wait: from the local key space, after a ReadIndex when quorum=true. */
final class KeysReadHandler {
  private final MemberBackend backend;
  private final KeysResponses responses;
  private final long timeoutMillis;

  KeysReadHandler(MemberBackend backend, KeysResponses responses, long timeoutMillis) {
    this.backend = backend;
    this.responses = responses;
    this.timeoutMillis = timeoutMillis;
  }

  void handle(ChannelHandlerContext ctx, boolean head, KeysRequest request,
      KeysMetrics.Request measured) {
    if (!request.quorum()) {
      read(ctx, head, request, measured);
      return;
    }
    Deadlines.within(backend.linearizableRead(), ctx.executor(), timeoutMillis)
        .whenComplete((ignored, failure) -> {
          if (failure != null) {
            responses.sendFailure(ctx, head, failure, measured);
          } else {
            read(ctx, head, request, measured);
          }
        });
  }

  private void read(ChannelHandlerContext ctx, boolean head, KeysRequest request,
      KeysMetrics.Request measured) {
    Event event;
    try {
      event = backend.keySpace().get(request.path(), request.recursive(), request.sorted());
    } catch (RuntimeException e) {
      responses.sendFailure(ctx, head, e, measured);
      return;
    }
    responses.sendEvent(ctx, head, event, false, measured);
  }
}
