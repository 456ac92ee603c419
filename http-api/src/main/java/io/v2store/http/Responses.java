package io.v2store.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Builds and sends the non-streaming responses every endpoint shares. */
final class Responses {
  static final String TEXT_PLAIN = "text/plain; charset=utf-8";
  static final String JSON = "application/json";
  static final String CLUSTER_ID = "X-Etcd-Cluster-Id";
  static final String ETCD_INDEX = "X-Etcd-Index";
  static final String RAFT_INDEX = "X-Raft-Index";
  static final String RAFT_TERM = "X-Raft-Term";

  private Responses() {}

  static FullHttpResponse full(HttpResponseStatus status, String contentType, ByteBuf body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    if (contentType != null) {
      response.headers().set("Content-Type", contentType);
    }
    response.headers().setInt("Content-Length", body.readableBytes());
    return response;
  }

  /** 204, without a Content-Length, as Go's server sends it. */
  static FullHttpResponse noContent() {
    FullHttpResponse r = full(HttpResponseStatus.NO_CONTENT, null, Unpooled.EMPTY_BUFFER);
    r.headers().remove("Content-Length");
    return r;
  }

  static FullHttpResponse json(HttpResponseStatus status, String body) {
    return full(status, JSON, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
  }

  /** Go's http.Error: text body plus a newline, nosniff. */
  static FullHttpResponse goError(HttpResponseStatus status, String text) {
    FullHttpResponse response = full(status, TEXT_PLAIN,
        Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
    response.headers().set("X-Content-Type-Options", "nosniff");
    return response;
  }

  static FullHttpResponse notFound() {
    return goError(HttpResponseStatus.NOT_FOUND, "404 page not found");
  }

  /** 405; allow null = no Allow header (members DELETE/PUT without an id). */
  static FullHttpResponse methodNotAllowed(String allow) {
    FullHttpResponse response = goError(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
    if (allow != null) {
      response.headers().set("Allow", allow);
    }
    return response;
  }

  /** The members/stats error body: {"message":"..."} without a newline. */
  static FullHttpResponse message(HttpResponseStatus status, String message) {
    return json(status, "{\"message\":" + JsonText.quote(message) + "}");
  }

  static String hex(long id) {
    return Long.toHexString(id);
  }

  /**
   * Writes a response. A HEAD request gets the same status and headers (Content-Length of the
   * would-be body) and no body.
   */
  static void send(ChannelHandlerContext ctx, boolean head, FullHttpResponse response) {
    if (head && response.content().isReadable()) {
      FullHttpResponse empty = response.replace(Unpooled.EMPTY_BUFFER);
      response.release();
      response = empty;
    }
    ctx.writeAndFlush(response);
  }

  /** Go's server's own answer that still carries its Date, but never etcd's CORS headers. */
  static final class WithoutCors extends DefaultFullHttpResponse {
    WithoutCors(HttpResponseStatus status) {
      super(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }
  }

  /**
   * What Go's server answers by itself, before any handler (a request it cannot parse, a path
   * with a bad escape): etcd's handlers, its CORS headers included, never see it.
   */
  static final class BeforeHandlers extends DefaultFullHttpResponse {
    BeforeHandlers(HttpResponseStatus status, ByteBuf body) {
      super(HttpVersion.HTTP_1_1, status, body);
    }
  }

  /** Answers unparseable input the way Go's server does, then closes the connection. */
  static void badRequestAndClose(ChannelHandlerContext ctx) {
    badRequestAndClose(ctx, null);
  }

  /**
   * As above with Go's reason ("missing required Host header"), which Go's server puts in the
   * status line as well as the body.
   */
  static void badRequestAndClose(ChannelHandlerContext ctx, String reason) {
    String text = reason == null ? "Bad Request" : "Bad Request: " + reason;
    ByteBuf body = Unpooled.copiedBuffer("400 " + text, StandardCharsets.UTF_8);
    FullHttpResponse response = new BeforeHandlers(reason == null
        ? HttpResponseStatus.BAD_REQUEST : new HttpResponseStatus(400, text), body);
    response.headers().set("Content-Type", TEXT_PLAIN);
    // no Content-Length, as Go's: the close ends the body
    response.headers().set("Connection", "close");
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** Go's server's own answer to headers over its limit, before any handler sees the request. */
  static void headersTooLargeAndClose(ChannelHandlerContext ctx) {
    ByteBuf body = Unpooled.copiedBuffer("431 Request Header Fields Too Large",
        StandardCharsets.UTF_8);
    FullHttpResponse response =
        new BeforeHandlers(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, body);
    response.headers().set("Content-Type", TEXT_PLAIN);
    response.headers().set("Connection", "close");
    // The client may still be sending the rest of its headers: a close with them unread would
    // reset the connection and could take the answer with it. As Go's server: end our side,
    // let the decoder discard what still comes, and close half a second later (the keep-alive
    // handler would close at once on seeing "Connection: close").
    if (ctx.pipeline().get(HttpServerKeepAliveHandler.class) != null) {
      ctx.pipeline().remove(HttpServerKeepAliveHandler.class);
    }
    ctx.writeAndFlush(response).addListener(done -> {
      if (ctx.channel() instanceof DuplexChannel duplex && done.isSuccess()) {
        duplex.shutdownOutput();
        ctx.executor().schedule(() -> ctx.close(), 500, TimeUnit.MILLISECONDS);
      } else {
        ctx.close();
      }
    });
  }
}
