package io.v2store.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.Watch;
import java.util.function.Function;

/**
 * GET wait=true (spec 6): a parked response, not a thread. Status and headers go out at once
 * (chunked); the event follows when the key space delivers it.
 */
final class WatchHandler {
  private final MemberBackend backend;
  private final KeysResponses responses;
  private final ParkedWatches parked;
  private final Function<Event, byte[]> sharedEncoder;

  WatchHandler(MemberBackend backend, KeysResponses responses, ParkedWatches parked) {
    this.backend = backend;
    this.responses = responses;
    this.parked = parked;
    EventJsonEncoder encoder = responses.encoder();
    this.sharedEncoder = encoder::encodeShared;
  }

  void handle(ChannelHandlerContext ctx, KeysRequest request) {
    WatchResponder responder = new WatchResponder(ctx, request.stream(), sharedEncoder, parked);
    Watch watch;
    try {
      watch = backend.keySpace().watch(request.path(), request.recursive(), request.stream(),
          request.waitIndex(), responder);
    } catch (RuntimeException e) {
      responses.sendFailure(ctx, false, e);
      return;
    }
    // Headers are written here, on the event loop, before any delivery from the apply thread
    // can run: those writes are queued behind this task.
    ctx.write(headers(watch.startIndex()));
    Event immediate = watch.immediate();
    if (immediate == null) {
      responder.parked(watch);
      ctx.flush();
      return;
    }
    byte[] bytes = responses.encoder().encodeShared(immediate);
    if (!request.stream()) {
      ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes)));
      return;
    }
    // etcd's quirk: a stream answered from history gets that one event, then silence.
    ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
        Unpooled.wrappedBuffer(bytes)));
    responder.parked(watch);
  }

  private HttpResponse headers(long startIndex) {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set("Content-Type", Responses.JSON);
    response.headers().set("Transfer-Encoding", "chunked");
    responses.successHeaders(response.headers(), startIndex);
    return response;
  }
}
