package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The peer port answers plain HTTP GETs (PeerHttp) and goes on speaking the peer protocol. */
class PeerPortHttpTest {
  private final TestMember a = new TestMember(0xaaaL, 1, 0, TestMember.FAST_RECONNECT);
  private TestMember b;

  @AfterEach
  void close() {
    a.close();
    if (b != null) b.close();
  }

  @Test
  void httpGetsAreAnsweredAndPeersStillConnect() throws Exception {
    b = new TestMember(0xaaaL, 2, 0, TestMember.FAST_RECONNECT, null, new PeerHttp() {
      @Override
      public Optional<String> get(String path) {
        return path.equals("/members") ? Optional.of("[{\"id\":2}]") : Optional.empty();
      }

      @Override
      public long clusterId() {
        return 0xaaaL;
      }
    });
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> members = http.send(HttpRequest.newBuilder(
        URI.create(b.url() + "/members")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, members.statusCode());
    assertEquals("[{\"id\":2}]", members.body());
    assertEquals("application/json", members.headers().firstValue("Content-Type").orElse(""));
    assertEquals("aaa", members.headers().firstValue("X-Etcd-Cluster-Id").orElse(""));
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(
        URI.create(b.url() + "/nothing")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());

    a.knows(b);
    Awaits.await("a connects to b's peer port", () -> a.transport.isConnected(2));
    a.transport.send(List.of(a.heartbeatTo(2, 1)));
    Message delivered = b.received.poll(30, TimeUnit.SECONDS);
    assertTrue(delivered != null, "the heartbeat arrived");
    assertEquals(1, delivered.getFrom());
  }

  /**
   * A client that sends GETs and never reads the answers: the port stops reading its requests
   * while the answers wait, as Go's server answers one request at a time. It read on, each answer
   * ten times its request queued in direct memory, until the event loop (the peers' messages'
   * too) stalled in an allocation that could not be had: one stranger hung the member.
   */
  @Test
  void aClientThatDoesNotReadItsAnswersIsNotReadEither() throws Exception {
    b = new TestMember(0xaaaL, 2, 0, TestMember.FAST_RECONNECT, null, new PeerHttp() {
      @Override
      public Optional<String> get(String path) {
        return Optional.of("[" + "{\"id\":2,\"name\":\"b\"},".repeat(20) + "{}]");
      }

      @Override
      public long clusterId() {
        return 0xaaaL;
      }
    });
    byte[] requests = "GET /members HTTP/1.1\r\nHost: b\r\n\r\n".repeat(1000)
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (java.net.Socket client = new java.net.Socket()) {
      client.setReceiveBufferSize(4096);
      client.connect(b.address);
      Thread sender = new Thread(() -> {
        try {
          for (int i = 0; i < 100; i++) client.getOutputStream().write(requests); // 3.5 MB
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      sender.setDaemon(true);
      sender.start();
      sender.join(5_000); // all sent, or held up by a port that stopped reading
      Awaits.await("b holds the connection", () -> b.transport.inboundChannels.size() == 1);
      io.netty.channel.Channel inbound = b.transport.inboundChannels.iterator().next();
      long queued = 0;
      for (int i = 0; i < 10; i++) { // the port reads and answers what it was sent
        queued = Math.max(queued, inbound.eventLoop().submit(
            () -> inbound.unsafe().outboundBuffer().totalPendingWriteBytes()).get());
        Thread.sleep(300);
      }
      assertTrue(queued < 4 << 20, "answers queued for a client that reads none: " + queued);
    }
  }
}
