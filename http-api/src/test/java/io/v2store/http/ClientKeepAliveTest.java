package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.v2store.testkit.TcpSockets;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * A client that vanishes without closing its connection (its machine lost power, a network
 * partition, a NAT that forgot the mapping) sends no FIN or RST: only TCP keep-alive tells the
 * server. etcd's client listener turns it on for every connection it accepts, with a 30 s period
 * (its keepaliveListener), so a long poll parked for such a client is dropped after a few
 * minutes. Without it the watch, its connection and its file descriptor stayed for good (a quiet
 * key never writes to the dead connection), and /v2/stats/store counted the watcher forever.
 */
class ClientKeepAliveTest {
  @Test
  void aParkedWatchsConnectionIsProbedAsEtcdsIs() throws Exception {
    assumeTrue(TcpSockets.readable(), "Linux's /proc/net/tcp shows timers");
    try (ServerFixture fixture = new ServerFixture()) {
      StringBuilder headers = new StringBuilder();
      try (Socket watch = ServerFixture.openAndReadHeaders(fixture.port,
          "GET /v2/keys/quiet?wait=true HTTP/1.1\r\nHost: x\r\n\r\n", headers)) {
        assertTrue(headers.toString().startsWith("HTTP/1.1 200 OK"), headers.toString());
        TcpSockets.Entry socket = TcpSockets.connection(fixture.port, watch.getLocalPort());
        assertNotNull(socket, "the server's end of the connection is listed");
        assertEquals(TcpSockets.TIMER_KEEPALIVE, socket.timer(), "a keep-alive timer runs on the idle connection");
        // clock ticks (USER_HZ, 100 a second) until the first probe: etcd's 30 s, not the
        // kernel's two hours
        assertTrue(socket.ticksLeft() > 0 && socket.ticksLeft() <= 30 * 100,
            "first probe within 30 s: " + socket.ticksLeft());
      }
    }
  }
}
