package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that pipelines many small requests and reads no answer: what a connection holds of
 * them. Go's server reads 4 KiB at a time; the rest waits in the kernel's buffers.
 */
class PausedReadGateTest {
  private static final String ONE = "GET /v2/keys/k HTTP/1.1\r\nHost: x\r\n\r\n";
  private static final int REQUESTS = 3_000; // 111 KB: more than one read of a socket

  /** The requests parsed (waiting or answered) and those let through to be answered. */
  private final List<HttpRequest> parsed = new ArrayList<>();
  private final List<HttpRequest> through = new ArrayList<>();

  private EmbeddedChannel connection() {
    return new EmbeddedChannel(new PausedReadGate(),
        new HttpServerCodec(new HttpDecoderConfig(), Integer.MAX_VALUE),
        new Recorder(parsed), new InOrderRequests(new AnswersInFlight()), new Recorder(through));
  }

  private static final class Recorder extends ChannelInboundHandlerAdapter {
    private final List<HttpRequest> seen;

    Recorder(List<HttpRequest> seen) {
      this.seen = seen;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest r) seen.add(r);
      ctx.fireChannelRead(msg); // the pipeline's tail releases it
    }
  }

  private static ByteBuf all() {
    return Unpooled.copiedBuffer(ONE.repeat(REQUESTS), StandardCharsets.US_ASCII);
  }

  /** Answers the oldest request let through and not yet answered. */
  private static void answer(EmbeddedChannel ch) {
    DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK);
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    ch.writeAndFlush(r);
    ch.runPendingTasks();
    for (Object out; (out = ch.readOutbound()) != null; ) ReferenceCountUtil.release(out);
  }

  @Test
  void requestsSentAheadAreParsedOnlyAsFarAsTheConnectionIsRead() {
    EmbeddedChannel ch = connection();
    ch.writeInbound(all());
    // one answered now, InOrderRequests.MAX_WAITING waiting: the rest wait as bytes
    int bound = 1 + InOrderRequests.MAX_WAITING + PausedReadGate.SLICE_BYTES / ONE.length() + 1;
    assertTrue(parsed.size() <= bound, parsed.size() + " requests parsed, at most " + bound);
    assertEquals(1, through.size());
    for (int i = 0; i < REQUESTS; i++) {
      assertEquals(i + 1, through.size(), "request " + i + " let through in its turn");
      answer(ch);
    }
    assertEquals(REQUESTS, parsed.size());
    assertEquals(REQUESTS, through.size());
    assertTrue(ch.isOpen());
    ch.finishAndReleaseAll();
  }

  /** The client's end, after its requests, comes after them: the last is answered first. */
  @Test
  void theEndOfTheClientsInputWaitsBehindItsRequests() {
    EmbeddedChannel ch = connection();
    ch.writeInbound(all());
    ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    ch.runPendingTasks();
    assertTrue(ch.isOpen(), "closed with requests unanswered");
    for (int i = 0; i < REQUESTS - 1; i++) {
      answer(ch);
      assertTrue(ch.isOpen(), "closed after " + (i + 1) + " answers");
    }
    answer(ch);
    assertEquals(REQUESTS, through.size());
    assertTrue(!ch.isOpen(), "closed once every request was answered");
    ch.finishAndReleaseAll();
  }
}
