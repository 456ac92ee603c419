package io.v2store.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.function.Consumer;

/**
 * A member's answer on its way to the client, framed as Go's server frames it under etcd's proxy
 * (whose handler copies the member's head and body into Go's response writer): in the client's
 * HTTP version, without the single-hop headers, Connection said as Go says it; an answer of
 * unknown length (a watch's) held until its body ends, then sent with its length, or until it
 * passes 2 KiB, then chunked (to an HTTP/1.0 client: up to the connection's close). Unlike Go's
 * server, a body begun and not ended within one read from the member goes out at once: Go's holds
 * a stream=true watch's events in its buffers. No I/O here: the parts go to {@code out}.
 */
final class ProxiedAnswer {
  /** Go's server chunks an answer once its handler has written this much without ending. */
  static final int GO_CHUNKING_BYTES = 2048;

  private final HttpVersion clientVersion;
  private final boolean clientKeepAlive;
  private final boolean headRequest;
  private final Consumer<Object> out;
  private boolean closeClient;
  private boolean chunked;
  private boolean keepMember = true;
  private HttpResponse heldHead;
  private CompositeByteBuf held;

  /** clientVersion and clientKeepAlive: the client's request's; out: the client's connection. */
  ProxiedAnswer(HttpVersion clientVersion, boolean clientKeepAlive, boolean headRequest,
      Consumer<Object> out) {
    this.clientVersion = clientVersion;
    this.clientKeepAlive = clientKeepAlive;
    this.headRequest = headRequest;
    this.out = out;
  }

  /** The member's head. */
  void head(HttpResponse in, ByteBufAllocator alloc) {
    keepMember = HttpUtil.isKeepAlive(in);
    HttpResponse head = new DefaultHttpResponse(clientVersion, in.status());
    head.headers().set(in.headers());
    for (String name : ProxiedRequest.SINGLE_HOP) head.headers().remove(name);
    boolean bodiless = headRequest || in.status().codeClass() == HttpStatusClass.INFORMATIONAL
        || in.status().code() == 204 || in.status().code() == 304;
    if (bodiless || HttpUtil.isContentLengthSet(in)) {
      out.accept(framed(head, true));
    } else {
      heldHead = head;
      held = alloc.compositeBuffer(Integer.MAX_VALUE);
    }
  }

  /** A part of the member's body (retained here as needed; the caller keeps its own reference). */
  void part(HttpContent part) {
    if (heldHead == null) {
      out.accept(part.retain());
      return;
    }
    held.addComponent(true, part.content().retain());
    if (part instanceof LastHttpContent) {
      sendHeldWhole();
    } else if (held.readableBytes() > GO_CHUNKING_BYTES) {
      sendHeldChunked();
    }
  }

  /** The end of one read from the member: a body begun and not ended goes out now. */
  void readEnded() {
    if (heldHead != null && held.isReadable()) sendHeldChunked();
  }

  /**
   * The member went mid-answer. etcd's proxy's handler then returns and Go's server ends the
   * answer where it stands: one still held goes with what came of its body (a long poll whose read
   * timed out: 200 and no body), a chunked one gets its last chunk and the connection stays; one
   * whose stated length was not reached can only be ended by closing ({@link #closeClient}).
   */
  void cutShort() {
    if (heldHead != null) {
      sendHeldWhole();
    } else if (chunked) {
      out.accept(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      closeClient = true;
    }
  }

  /** Whether the client's connection is to close once the answer is written. */
  boolean closeClient() {
    return closeClient;
  }

  /** Whether the member's connection may serve the next request. */
  boolean keepMember() {
    return keepMember;
  }

  /** What the answer still holds goes (the exchange ended without it). */
  void release() {
    if (held != null) held.release();
    held = null;
    heldHead = null;
  }

  private void sendHeldWhole() {
    heldHead.headers().setInt("Content-Length", held.readableBytes());
    out.accept(framed(heldHead, true));
    out.accept(new DefaultLastHttpContent(held));
    heldHead = null;
    held = null;
  }

  private void sendHeldChunked() {
    out.accept(framed(heldHead, false));
    out.accept(new DefaultHttpContent(held));
    heldHead = null;
    held = null;
  }

  /**
   * The head's framing and connection headers: an answer of unknown length goes chunked to an
   * HTTP/1.1 client and up to the connection's close to an HTTP/1.0 one; Go's server says close to
   * an HTTP/1.1 client it will not keep and keep-alive to an HTTP/1.0 one it keeps.
   */
  private HttpResponse framed(HttpResponse head, boolean delimited) {
    boolean http11 = clientVersion.minorVersion() > 0;
    HttpHeaders h = head.headers();
    closeClient = !clientKeepAlive;
    if (!delimited) {
      if (http11) {
        h.set("Transfer-Encoding", HttpHeaderValues.CHUNKED);
        chunked = true;
      } else {
        closeClient = true;
      }
    }
    if (http11 && closeClient) {
      h.set("Connection", HttpHeaderValues.CLOSE);
    } else if (!http11 && !closeClient) {
      h.set("Connection", HttpHeaderValues.KEEP_ALIVE);
    }
    return head;
  }
}
