package io.v2store.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads whole HTTP/1.1 answers, taking from the head only what a load run uses: the status and
 * how long the body is (Content-Length, or chunked). The load generator shares the machine's cores
 * with the servers it measures, and Netty's full decoder (every header split, validated and
 * stored) was a quarter of its own CPU under plain reads; what it does not spend is left to the
 * servers. Headers are not kept: the answers carry only status and body. A long poll's head comes
 * when it parks and its body when the event does: the head is read again then, which costs less
 * than keeping a half-read answer's state for thousands of watchers.
 */
final class LeanResponseDecoder extends ByteToMessageDecoder {
  private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRANSFER_ENCODING =
      "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_HEAD_BYTES = 64 << 10;
  private final int maxBodyBytes;

  LeanResponseDecoder(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      DefaultFullHttpResponse answer = decodeOne(in);
      if (answer == null) return; // incomplete: wait for more bytes, from the same start
      out.add(answer);
    }
  }

  /** One answer from the reader index, consumed; null (nothing consumed) if not all here yet. */
  private DefaultFullHttpResponse decodeOne(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int status = -1;
    long contentLength = -1;
    boolean chunked = false;
    int pos = start;
    while (true) {
      int nl = in.indexOf(pos, end, (byte) '\n');
      if (nl < 0) {
        if (end - start > MAX_HEAD_BYTES) throw new TooLongFrameException("answer head too long");
        return null;
      }
      int lineEnd = nl > pos && in.getByte(nl - 1) == '\r' ? nl - 1 : nl;
      if (status < 0) {
        status = statusOf(in, pos, lineEnd);
      } else if (lineEnd == pos) {
        pos = nl + 1;
        break; // the empty line: the head is over
      } else {
        int colon = in.indexOf(pos, lineEnd, (byte) ':');
        if (colon > 0 && nameIs(in, pos, colon, CONTENT_LENGTH)) {
          contentLength = digits(in, colon + 1, lineEnd);
        } else if (colon > 0 && nameIs(in, pos, colon, TRANSFER_ENCODING)) {
          chunked = in.toString(colon + 1, lineEnd - colon - 1, StandardCharsets.US_ASCII)
              .toLowerCase(java.util.Locale.ROOT).contains("chunked");
        }
      }
      pos = nl + 1;
    }
    ByteBuf body;
    if (status < 200 || status == 204 || status == 304) {
      body = Unpooled.EMPTY_BUFFER;
    } else if (chunked) {
      body = chunks(in, pos, end);
      if (body == null) return null;
      pos = in.readerIndex();
    } else if (contentLength >= 0) {
      if (contentLength > maxBodyBytes) throw new TooLongFrameException("answer body too long");
      if (end - pos < contentLength) return null;
      body = in.retainedSlice(pos, (int) contentLength);
      pos += (int) contentLength;
    } else {
      throw new DecoderException("answer " + status + " without Content-Length or chunks");
    }
    in.readerIndex(pos);
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        body);
  }

  /** "HTTP/1.1 200 OK": the three digits after the first space. */
  private static int statusOf(ByteBuf in, int from, int to) {
    int sp = in.indexOf(from, to, (byte) ' ');
    if (sp < 0 || sp + 4 > to || in.getByte(from) != 'H') {
      throw new DecoderException("not an HTTP answer");
    }
    long code = digits(in, sp + 1, sp + 4);
    if (code < 100) throw new DecoderException("not an HTTP status");
    return (int) code;
  }

  /** Whether bytes [from, colon) are the lower-case name, ignoring case. */
  private static boolean nameIs(ByteBuf in, int from, int colon, byte[] lowerName) {
    if (colon - from != lowerName.length) return false;
    for (int i = 0; i < lowerName.length; i++) {
      // Header names are letters and '-', for which OR-ing 0x20 lowers case and keeps '-'.
      if ((in.getByte(from + i) | 0x20) != lowerName[i]) return false;
    }
    return true;
  }

  /** The decimal number in [from, to), spaces around it skipped. */
  private static long digits(ByteBuf in, int from, int to) {
    long n = 0;
    int count = 0;
    for (int i = from; i < to; i++) {
      byte b = in.getByte(i);
      if (b >= '0' && b <= '9') {
        if (++count > 12) throw new DecoderException("number too long");
        n = n * 10 + (b - '0');
      } else if (b != ' ' && b != '\t') {
        throw new DecoderException("not a number");
      }
    }
    if (count == 0) throw new DecoderException("no number");
    return n;
  }

  /**
   * A chunked body from pos, with the reader index left after the last chunk and its trailers;
   * null (reader index untouched) when it has not all arrived. Nothing is copied until it has: a
   * watch's head waits alone for its event. One chunk (a watch's event, as both etcd and ours
   * send it) is a slice of what was read; more are joined.
   */
  private ByteBuf chunks(ByteBuf in, int pos, int end) {
    int bodyStart = pos;
    int firstAt = -1;
    int firstSize = 0;
    int count = 0;
    long total = 0;
    while (true) {
      int nl = in.indexOf(pos, end, (byte) '\n');
      if (nl < 0) return null;
      int size = hex(in, pos, nl);
      if (size == 0) {
        pos = nl + 1;
        break;
      }
      total += size;
      if (total > maxBodyBytes) throw new TooLongFrameException("answer body too long");
      if (end - (nl + 1) < size + 2) return null;
      if (count++ == 0) {
        firstAt = nl + 1;
        firstSize = size;
      }
      pos = nl + 1 + size + 2; // the chunk's CRLF
    }
    while (true) { // trailers, up to the empty line
      int nl = in.indexOf(pos, end, (byte) '\n');
      if (nl < 0) return null;
      boolean empty = nl == pos || (nl == pos + 1 && in.getByte(pos) == '\r');
      pos = nl + 1;
      if (empty) break;
    }
    ByteBuf body = count == 0 ? Unpooled.EMPTY_BUFFER
        : count == 1 ? in.retainedSlice(firstAt, firstSize)
        : joined(in, bodyStart, (int) total);
    in.readerIndex(pos);
    return body;
  }

  /** The bytes of every chunk from the first size line at pos: all known to be here. */
  private static ByteBuf joined(ByteBuf in, int pos, int total) {
    ByteBuf out = Unpooled.buffer(total);
    while (true) {
      int nl = in.indexOf(pos, in.writerIndex(), (byte) '\n');
      int size = hex(in, pos, nl);
      if (size == 0) return out;
      out.writeBytes(in, nl + 1, size);
      pos = nl + 1 + size + 2;
    }
  }

  /** A chunk-size line: hex digits, then maybe ";extensions" and CR. */
  private static int hex(ByteBuf in, int from, int nl) {
    int n = 0;
    int count = 0;
    for (int i = from; i < nl; i++) {
      int d = Character.digit(in.getByte(i), 16);
      if (d < 0) break;
      if (++count > 7) throw new DecoderException("chunk too long");
      n = n * 16 + d;
    }
    if (count == 0) throw new DecoderException("no chunk size");
    return n;
  }
}
