package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a member's answer is framed for the client, as Go's server frames it under etcd's proxy. */
class ProxiedAnswerTest {
  private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
  private static final String EVENT = "{\"action\":\"set\"}\n";
  private final List<Object> out = new ArrayList<>();

  @AfterEach
  void release() {
    out.forEach(ReferenceCountUtil::release);
  }

  @Test
  void anAnswerOfKnownLengthGoesOnAtOnceWithoutTheSingleHopHeaders() {
    ProxiedAnswer answer = new ProxiedAnswer(HttpVersion.HTTP_1_1, true, false, out::add);
    HttpResponse member = member(HttpResponseStatus.OK);
    member.headers().set("Content-Length", "17").set("Connection", "keep-alive")
        .set("Keep-Alive", "timeout=5").set("X-Etcd-Index", "7");
    answer.head(member, ALLOC);
    HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
    assertEquals("17", head.headers().get("Content-Length"));
    assertEquals("7", head.headers().get("X-Etcd-Index"));
    assertFalse(head.headers().contains("Connection"));
    assertFalse(head.headers().contains("Keep-Alive"));
    HttpContent last = new DefaultLastHttpContent(bytes(EVENT));
    answer.part(last);
    assertSame(last, out.get(1)); // passed on as it came
    last.release();
    assertFalse(answer.closeClient());
    assertTrue(answer.keepMember());
  }

  @Test
  void aWatchAnsweredWithinOneReadGoesWithItsLengthAsUnderEtcdsProxy() {
    ProxiedAnswer answer = new ProxiedAnswer(HttpVersion.HTTP_1_1, true, false, out::add);
    answer.head(chunkedMember(), ALLOC);
    assertTrue(out.isEmpty(), "the head waits for the body");
    answer.part(new DefaultHttpContent(bytes(EVENT)));
    answer.part(LastHttpContent.EMPTY_LAST_CONTENT);
    HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
    assertEquals(String.valueOf(EVENT.length()), head.headers().get("Content-Length"));
    assertFalse(head.headers().contains("Transfer-Encoding"));
    assertEquals(EVENT, text(out.get(1)));
    assertInstanceOf(LastHttpContent.class, out.get(1));
    answer.readEnded();
    assertEquals(2, out.size());
  }

  @Test
  void aStreamGoesOnChunkedOnceAReadEndsInsideItsBody() {
    ProxiedAnswer answer = new ProxiedAnswer(HttpVersion.HTTP_1_1, true, false, out::add);
    answer.head(chunkedMember(), ALLOC);
    answer.readEnded();
    assertTrue(out.isEmpty(), "no body yet: a long poll's head waits, as under etcd's proxy");
    answer.part(new DefaultHttpContent(bytes(EVENT)));
    answer.readEnded();
    HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
    assertEquals("chunked", head.headers().get("Transfer-Encoding"));
    assertNull(head.headers().get("Content-Length"));
    assertEquals(EVENT, text(out.get(1)));
    answer.part(new DefaultHttpContent(bytes(EVENT)));
    assertEquals(EVENT, text(out.get(2))); // later events pass straight on
    answer.cutShort();
    assertSame(LastHttpContent.EMPTY_LAST_CONTENT, out.get(3));
    assertFalse(answer.closeClient(), "a chunked answer ended early keeps the connection");
  }

  @Test
  void aBodyPast2KiBGoesChunkedWithoutWaitingForTheReadsEnd() {
    ProxiedAnswer answer = new ProxiedAnswer(HttpVersion.HTTP_1_1, true, false, out::add);
    answer.head(chunkedMember(), ALLOC);
    answer.part(new DefaultHttpContent(bytes("x".repeat(ProxiedAnswer.GO_CHUNKING_BYTES))));
    assertTrue(out.isEmpty());
    answer.part(new DefaultHttpContent(bytes("y")));
    assertEquals("chunked", ((HttpResponse) out.get(0)).headers().get("Transfer-Encoding"));
    assertEquals(ProxiedAnswer.GO_CHUNKING_BYTES + 1, ((HttpContent) out.get(1)).content().readableBytes());
  }

  @Test
  void aLongPollCutShortIsA200WithNoBody() {
    ProxiedAnswer answer = new ProxiedAnswer(HttpVersion.HTTP_1_1, true, false, out::add);
    answer.head(chunkedMember(), ALLOC);
    answer.cutShort();
    HttpResponse head = assertInstanceOf(HttpResponse.class, out.get(0));
    assertEquals(HttpResponseStatus.OK, head.status());
    assertEquals("0", head.headers().get("Content-Length"));
    assertInstanceOf(LastHttpContent.class, out.get(1));
    assertFalse(answer.closeClient());
  }

  @Test
  void anAnswerOfKnownLengthCutShortClosesTheConnection() {
    ProxiedAnswer answer = new ProxiedAnswer(HttpVersion.HTTP_1_1, true, false, out::add);
    HttpResponse member = member(HttpResponseStatus.OK);
    member.headers().set("Content-Length", "100");
    answer.head(member, ALLOC);
    answer.cutShort();
    assertTrue(answer.closeClient());
  }

  @Test
  void anHttp10ClientGetsHttp10AndTheConnectionAsGoSaysIt() {
    ProxiedAnswer kept = new ProxiedAnswer(HttpVersion.HTTP_1_0, true, false, out::add);
    HttpResponse member = member(HttpResponseStatus.OK);
    member.headers().set("Content-Length", "2");
    kept.head(member, ALLOC);
    HttpResponse head = (HttpResponse) out.get(0);
    assertEquals(HttpVersion.HTTP_1_0, head.protocolVersion());
    assertEquals("keep-alive", head.headers().get("Connection"));
    assertFalse(kept.closeClient());

    out.clear();
    ProxiedAnswer streamed = new ProxiedAnswer(HttpVersion.HTTP_1_0, true, false, out::add);
    streamed.head(chunkedMember(), ALLOC);
    streamed.part(new DefaultHttpContent(bytes(EVENT)));
    streamed.readEnded();
    HttpResponse untilClose = (HttpResponse) out.get(0);
    assertFalse(untilClose.headers().contains("Transfer-Encoding"));
    assertFalse(untilClose.headers().contains("Connection"));
    assertTrue(streamed.closeClient(), "no length and no chunks: the body ends with the connection");
  }

  @Test
  void anHttp11ClientThatAskedToCloseIsToldSo() {
    ProxiedAnswer answer = new ProxiedAnswer(HttpVersion.HTTP_1_1, false, false, out::add);
    HttpResponse member = member(HttpResponseStatus.NOT_FOUND);
    member.headers().set("Content-Length", "2");
    answer.head(member, ALLOC);
    assertEquals("close", ((HttpResponse) out.get(0)).headers().get("Connection"));
    assertTrue(answer.closeClient());
  }

  @Test
  void aHeadRequestsAnswerGoesAtOnceWithTheMembersLength() {
    ProxiedAnswer answer = new ProxiedAnswer(HttpVersion.HTTP_1_1, true, true, out::add);
    HttpResponse member = member(HttpResponseStatus.OK);
    member.headers().set("Content-Length", "84");
    answer.head(member, ALLOC);
    assertEquals("84", ((HttpResponse) out.get(0)).headers().get("Content-Length"));
    HttpResponse noLength = member(HttpResponseStatus.OK);
    out.clear();
    new ProxiedAnswer(HttpVersion.HTTP_1_1, true, true, out::add).head(noLength, ALLOC);
    assertEquals(1, out.size(), "a HEAD's answer has no body to wait for");
  }

  @Test
  void aMemberThatClosesAfterItsAnswerIsNotKept() {
    ProxiedAnswer answer = new ProxiedAnswer(HttpVersion.HTTP_1_1, true, false, out::add);
    HttpResponse member = member(HttpResponseStatus.OK);
    member.headers().set("Content-Length", "0").set("Connection", "close");
    answer.head(member, ALLOC);
    assertFalse(answer.keepMember());
    assertFalse(answer.closeClient(), "the client's connection does not follow the member's");
  }

  private static HttpResponse member(HttpResponseStatus status) {
    return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
  }

  private static HttpResponse chunkedMember() {
    HttpResponse r = member(HttpResponseStatus.OK);
    r.headers().set("Transfer-Encoding", "chunked").set("Content-Type", "application/json");
    return r;
  }

  private static io.netty.buffer.ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  private static String text(Object part) {
    return ((HttpContent) part).content().toString(StandardCharsets.UTF_8);
  }
}
