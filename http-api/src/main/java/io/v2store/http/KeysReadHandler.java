package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.v2store.storage.store.Event;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * GET and HEAD without wait: from the local key space, after a ReadIndex when quorum=true.
 *
 * <p>A large answer is read and encoded on {@code largeAnswers}, not on the connection's event
 * loop: 100,000 keys are an 18 MB listing, tens of milliseconds to encode and hundreds on a
 * loaded machine, and every other connection of that loop (a health check, confd's small reads,
 * the answers of writes) waited for it. The read is as before: the key space as of one index
 * (sent as X-Etcd-Index), copied under its read lock; the encoding comes after, without the
 * lock. Whether an answer is large is estimated first, without copying anything; small answers
 * are read and encoded at once, so they never wait behind large ones. Each connection has one
 * request answered at a time ({@link InOrderRequests}), so the queue holds at most one request
 * a connection, and nothing read: only as many large answers are in memory at once, being read
 * or encoded, as {@code largeAnswers} has threads.
 */
final class KeysReadHandler {
  /** An answer estimated past this is read and encoded off the loop: a tenth of a millisecond. */
  static final int LARGE_ANSWER_BYTES = 64 * 1024;
  /** What a node's answer takes besides its key and value: field names, indexes, punctuation. */
  private static final int NODE_OVERHEAD_BYTES = 64;
  private final MemberBackend backend;
  private final KeysResponses responses;
  private final long timeoutMillis;
  private final Executor largeAnswers;

  KeysReadHandler(MemberBackend backend, KeysResponses responses, long timeoutMillis,
      Executor largeAnswers) {
    this.backend = backend;
    this.responses = responses;
    this.timeoutMillis = timeoutMillis;
    this.largeAnswers = largeAnswers;
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
      event = backend.keySpace().getUnlessLarger(request.path(), request.recursive(),
          request.sorted(), LARGE_ANSWER_BYTES, NODE_OVERHEAD_BYTES);
      if (event == null) {
        try {
          largeAnswers.execute(() -> readAndEncode(ctx, head, request, measured));
          return;
        } catch (RejectedExecutionException stopping) {
          // the server is stopping: answered here, as before
          event = backend.keySpace().get(request.path(), request.recursive(), request.sorted());
        }
      }
    } catch (RuntimeException e) {
      responses.sendFailure(ctx, head, e, measured);
      return;
    }
    responses.sendEvent(ctx, head, event, false, measured);
  }

  /** Off the loop: reads and encodes; the answer is sent from the connection's loop. */
  private void readAndEncode(ChannelHandlerContext ctx, boolean head, KeysRequest request,
      KeysMetrics.Request measured) {
    Event event;
    try {
      event = backend.keySpace().get(request.path(), request.recursive(), request.sorted());
    } catch (RuntimeException e) { // removed since
      onLoop(ctx, () -> responses.sendFailure(ctx, head, e, measured), null);
      return;
    }
    FullHttpResponse response;
    try {
      response = responses.answer(ctx.alloc(), event, false);
    } catch (Throwable t) {
      // as on the loop: the connection's pipeline hears of it (out of memory is logged there)
      onLoop(ctx, () -> ctx.pipeline().fireExceptionCaught(t), null);
      return;
    }
    onLoop(ctx, () -> {
      Responses.send(ctx, head, response);
      if (measured != null) measured.succeeded();
    }, response);
  }

  private static void onLoop(ChannelHandlerContext ctx, Runnable task, FullHttpResponse held) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException stopped) {
      if (held != null) held.release();
    }
  }
}
