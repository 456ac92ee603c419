package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.v2store.raft.pb.Message;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection to the peer port that is not a peer's (an HTTP client's keep-alive connection,
 * or one that never sends a byte) is closed once it has read nothing for a while, as etcd's peer
 * server does after its 5-minute read timeout: the port's connections are few, and such a
 * client held one for as long as it liked. A peer's connection, quiet between messages, stays.
 */
class PeerPortIdleTest {
  private static final long IDLE_MILLIS = 300;
  private final TestMember a = new TestMember(0xaaaL, 1, 0, TestMember.FAST_RECONNECT);
  private final TestMember b = new TestMember(0xaaaL, 2, 0, TestMember.FAST_RECONNECT, null,
      new PeerHttp() {
        @Override
        public Optional<String> get(String path) {
          return path.equals("/version") ? Optional.of("{}") : Optional.empty();
        }

        @Override
        public long clusterId() {
          return 0xaaaL;
        }
      }, transport -> transport.closeIdleAfter(IDLE_MILLIS));

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void anIdleHttpKeepAliveConnectionIsClosed() throws Exception {
    try (Socket http = connect()) {
      http.getOutputStream().write(
          "GET /version HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = readUntilClosed(http.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
      assertTrue(answer.endsWith("{}"), "the whole answer, then the close: " + answer);
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() throws Exception {
    try (Socket silent = connect()) {
      assertEquals("", readUntilClosed(silent.getInputStream()));
    }
  }

  @Test
  void aConnectionThatStopsInItsFirstFrameIsClosed() throws Exception {
    try (Socket stalled = connect()) {
      // a frame's length, then less than it says, then nothing: not (yet) a peer
      stalled.getOutputStream().write(new byte[] {0, 0, 0, 40, 10, 2, 8});
      stalled.getOutputStream().flush();
      assertEquals("", readUntilClosed(stalled.getInputStream()));
    }
  }

  @Test
  void aConnectionThatSendsItsHelloAByteAtATimeIsClosed() throws Exception {
    try (Socket slow = connect()) {
      slow.getOutputStream().write(new byte[] {0, 0, 0, 40});
      Awaits.await("b accepted it", () -> b.transport.inboundChannels.size() == 1);
      boolean closed = false;
      // a byte every third of the limit, for ten times the limit
      for (int i = 0; i < 30 && !closed; i++) {
        try {
          slow.getOutputStream().write(8);
          slow.getOutputStream().flush();
        } catch (java.io.IOException e) {
          closed = true;
        }
        Thread.sleep(IDLE_MILLIS / 3);
        closed |= b.transport.inboundChannels.isEmpty();
      }
      assertTrue(closed, "a hello trickled in held the connection");
    }
  }

  @Test
  void aFirstFrameLongerThanAHelloIsRefusedAtItsLength() throws Exception {
    // a, whose limit is the default 5 minutes
    try (Socket stranger = new Socket(a.address.getAddress(), a.address.getPort())) {
      stranger.setSoTimeout((int) TimeUnit.SECONDS.toMillis(20));
      // under a's bound on frames (1 MiB), far over a hello: a would hold it all for a stranger
      new java.io.DataOutputStream(stranger.getOutputStream()).writeInt(1_000_000);
      assertEquals("", readUntilClosed(stranger.getInputStream()));
    }
  }

  @Test
  void aQuietPeerConnectionStaysUp() throws Exception {
    a.knows(b);
    Awaits.await("a connects to b", () -> a.transport.isConnected(2)
        && b.transport.inboundChannels.size() == 1);
    Channel inbound = b.transport.inboundChannels.iterator().next();
    a.transport.send(List.of(a.heartbeatTo(2, 1)));
    assertTrue(b.received.poll(20, TimeUnit.SECONDS) != null, "the first heartbeat arrived");
    // quiet for several times the idle limit
    Thread.sleep(IDLE_MILLIS * 4);
    a.transport.send(List.of(a.heartbeatTo(2, 1)));
    Message second = b.received.poll(20, TimeUnit.SECONDS);
    assertTrue(second != null, "the second heartbeat arrived");
    assertTrue(inbound.isActive(), "the peer's connection was closed while quiet");
    assertEquals(1, b.transport.inboundChannels.size(), "a peer connection was made again");
  }

  private Socket connect() throws Exception {
    Socket socket = new Socket(b.address.getAddress(), b.address.getPort());
    socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(20)); // a read that times out fails
    return socket;
  }

  private static String readUntilClosed(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
