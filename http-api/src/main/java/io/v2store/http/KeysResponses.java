package io.v2store.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.v2store.storage.store.Action;
import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.EtcdException;
import io.v2store.storage.store.Event;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Writes keys-API answers: an event (spec 3.2, 3.3, 1.5) or an error (7.1). Thread-safe. */
final class KeysResponses {
  static final String TIMED_OUT = "etcdserver: request timed out";
  private final MemberBackend backend;
  private final EventJsonEncoder encoder;

  KeysResponses(MemberBackend backend, EventJsonEncoder encoder) {
    this.backend = backend;
    this.encoder = encoder;
  }

  EventJsonEncoder encoder() {
    return encoder;
  }

  void sendEvent(ChannelHandlerContext ctx, boolean head, Event event, boolean noValueOnSuccess) {
    sendEvent(ctx, head, event, noValueOnSuccess, null);
  }

  /** As above, reporting the success to {@code measured} (null: not measured). */
  void sendEvent(ChannelHandlerContext ctx, boolean head, Event event, boolean noValueOnSuccess,
      KeysMetrics.Request measured) {
    Responses.send(ctx, head, answer(ctx.alloc(), event, noValueOnSuccess));
    if (measured != null) measured.succeeded();
  }

  /**
   * The answer to an event, encoded in a buffer from alloc, with its headers. Thread-safe: a
   * large listing is encoded off the event loops ({@link KeysReadHandler}).
   */
  FullHttpResponse answer(ByteBufAllocator alloc, Event event, boolean noValueOnSuccess) {
    ByteBuf body = alloc.buffer(256);
    boolean noValue = noValueOnSuccess && hidesValue(event.action());
    try {
      encoder.writeEvent(body, event, noValue, encoder.nowNanos());
    } catch (Throwable t) {
      // A large listing that outgrows the direct memory left (slow readers of large listings
      // hold theirs) fails here: what it had filled goes back, or the member's direct memory is
      // lost for good, one failed listing at a time, until it can answer no listing at all.
      body.release();
      throw t;
    }
    HttpResponseStatus status = event.isCreated() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK;
    FullHttpResponse response = Responses.full(status, Responses.JSON, body);
    successHeaders(response.headers(), event.index());
    return response;
  }

  /** Cluster id, etcd index and raft position: the headers of every successful keys answer. */
  void successHeaders(HttpHeaders headers, long etcdIndex) {
    MemberBackend.RaftPosition position = backend.raftPosition();
    headers.set(Responses.CLUSTER_ID, Responses.hex(backend.clusterId()));
    headers.set(Responses.ETCD_INDEX, Long.toUnsignedString(etcdIndex));
    headers.set(Responses.RAFT_INDEX, Long.toUnsignedString(position.index()));
    headers.set(Responses.RAFT_TERM, Long.toUnsignedString(position.term()));
  }

  private static boolean hidesValue(Action action) {
    return action == Action.SET || action == Action.CREATE || action == Action.UPDATE
        || action == Action.COMPARE_AND_SWAP;
  }

  /**
   * Any failure as an etcd error body: an EtcdException as itself, a timeout as 300 "request timed
   * out", anything else as 300 with its message (never a stack trace), index 0.
   */
  void sendFailure(ChannelHandlerContext ctx, boolean head, Throwable failure) {
    sendFailure(ctx, head, failure, null);
  }

  /** As above, reporting the failure's status to {@code measured} (null: not measured). */
  void sendFailure(ChannelHandlerContext ctx, boolean head, Throwable failure,
      KeysMetrics.Request measured) {
    Throwable t = unwrap(failure);
    EtcdException e;
    if (t instanceof EtcdException etcd) {
      e = etcd;
    } else if (t instanceof TimeoutException) {
      e = EtcdError.RAFT_INTERNAL.with(TIMED_OUT, 0);
    } else {
      String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      e = EtcdError.RAFT_INTERNAL.with(message, 0);
    }
    ByteBuf body = ctx.alloc().buffer(128);
    EventJsonEncoder.writeError(body, e.error(), e.errorCause(), e.index());
    FullHttpResponse response = Responses.full(
        HttpResponseStatus.valueOf(e.error().httpStatus()), Responses.JSON, body);
    response.headers().set(Responses.CLUSTER_ID, Responses.hex(backend.clusterId()));
    response.headers().set(Responses.ETCD_INDEX, Long.toUnsignedString(e.index()));
    Responses.send(ctx, head, response);
    if (measured != null) measured.failed(e.error().httpStatus());
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
