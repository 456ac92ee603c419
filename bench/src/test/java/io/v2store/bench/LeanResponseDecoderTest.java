package io.v2store.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LeanResponseDecoderTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new LeanResponseDecoder(1 << 20));

  private void feed(String bytes) {
    channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
  }

  private void assertAnswer(int status, String body) {
    FullHttpResponse r = channel.readInbound();
    try {
      assertEquals(status, r.status().code());
      assertEquals(body, r.content().toString(StandardCharsets.UTF_8));
    } finally {
      r.release();
    }
  }

  @Test
  void anAnswerThatArrivesAByteAtATimeIsReadOnceWhole() {
    // as etcd's Go server writes it: Content-Length, the index headers, then the body
    String answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Etcd-Index: 7\r\n"
        + "X-Raft-Index: 9\r\nX-Raft-Term: 2\r\nDate: Sat, 05 Dec 2026 23:00:00 GMT\r\n"
        + "Content-Length: 23\r\n\r\n{\"action\":\"get\",\"n\":1}\n";
    for (int i = 0; i < answer.length() - 1; i++) {
      feed(answer.substring(i, i + 1));
      assertNull(channel.readInbound(), "answered before byte " + (i + 1));
    }
    feed(answer.substring(answer.length() - 1));
    assertAnswer(200, "{\"action\":\"get\",\"n\":1}\n");
  }

  @Test
  void pipelinedAnswersInOneReadAreEachReadInOrder() {
    feed("HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nab"
        + "HTTP/1.1 404 Not Found\r\nCONTENT-LENGTH:3\r\n\r\nxyz"
        + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        + "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nno");
    assertAnswer(201, "ab");
    assertAnswer(404, "xyz");
    assertAnswer(200, "");
    assertNull(channel.readInbound(), "the last answer is not whole yet");
    feed("pe");
    assertAnswer(500, "nope");
  }

  @Test
  void aChunkedBodyIsJoinedAndItsTrailersSkipped() {
    feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n");
    assertNull(channel.readInbound());
    feed("6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    assertAnswer(200, "hello world");
    assertAnswer(204, "");
  }

  /**
   * A long poll as both servers write it: the head when it parks, the event as one chunk when it
   * comes, then the next poll's head on the same connection. The event's body must stay whole
   * after the bytes that follow it are read into the same buffer.
   */
  @Test
  void aWatchAnswersHeadWaitsForItsEventAndTheEventOutlivesTheNextRead() {
    feed("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Etcd-Index: 41\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n");
    assertNull(channel.readInbound(), "a head alone is not an answer");
    feed("18\r\n{\"action\":\"set\",\"n\":42}\n\r\n");
    assertNull(channel.readInbound(), "the body has not ended");
    feed("0\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    FullHttpResponse event = channel.readInbound();
    feed("0\r\n\r\n"); // the next poll ends without an event
    // a third poll and the start of a big event: the read buffer grows
    feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n" + "x".repeat(4000));
    try {
      assertEquals(200, event.status().code());
      assertEquals("{\"action\":\"set\",\"n\":42}\n",
          event.content().toString(StandardCharsets.UTF_8));
    } finally {
      event.release();
    }
    assertAnswer(200, "");
  }

  @Test
  void aHeaderNamedLikeOneWeReadButLongerIsIgnored() {
    feed("HTTP/1.1 200 OK\r\nX-Content-Length: 99\r\nContent-Lengthy: 99\r\n"
        + "Content-Length: 1\r\n\r\nz");
    assertAnswer(200, "z");
  }

  @Test
  void whatIsNotAnHttpAnswerFailsTheConnection() {
    assertThrows(DecoderException.class, () -> feed("SSH-2.0-OpenSSH\r\n\r\n"));
    EmbeddedChannel other = new EmbeddedChannel(new LeanResponseDecoder(1 << 20));
    assertThrows(DecoderException.class, () -> other.writeInbound(Unpooled.copiedBuffer(
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", StandardCharsets.US_ASCII)));
    EmbeddedChannel small = new EmbeddedChannel(new LeanResponseDecoder(4));
    assertThrows(DecoderException.class, () -> small.writeInbound(Unpooled.copiedBuffer(
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", StandardCharsets.US_ASCII)));
  }
}
