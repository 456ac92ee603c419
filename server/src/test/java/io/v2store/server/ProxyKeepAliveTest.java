package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.v2store.testkit.LoopbackPorts;
import io.v2store.testkit.TcpSockets;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --proxy on: a client that vanishes without closing (power lost, a partition) is found out by
 * TCP keep-alive only. etcd's proxy listens with Go's defaults, which probe an accepted
 * connection after 15 s idle and every 15 s after; ours had no keep-alive, so a long poll relayed
 * for such a client kept its connection (and the one to the member) for good.
 */
class ProxyKeepAliveTest {

  @TempDir
  Path tmp;

  @Test
  void anIdleClientConnectionIsProbedAsEtcdsProxyDoes() throws Exception {
    assumeTrue(TcpSockets.readable(), "Linux's /proc/net/tcp shows timers");
    int port = LoopbackPorts.next();
    // no member there: the proxy still listens and answers
    try (ProxyProcess proxy = ProxyProcess.launch(tmp, "http://127.0.0.1:" + port,
        List.of("--initial-cluster", "m=http://127.0.0.1:" + LoopbackPorts.next()))) {
      proxy.get("/version");
      try (Socket idle = new Socket("127.0.0.1", port)) {
        TcpSockets.Entry socket = null;
        for (int i = 0; i < 50 && socket == null; i++) {
          socket = TcpSockets.connection(port, idle.getLocalPort());
          if (socket == null) Thread.sleep(100);
        }
        assertNotNull(socket, "the proxy's end of the connection is listed");
        assertEquals(TcpSockets.TIMER_KEEPALIVE, socket.timer(), "a keep-alive timer runs on the idle connection");
        // clock ticks (USER_HZ, 100 a second) until the first probe: Go's 15 s
        assertTrue(socket.ticksLeft() > 0 && socket.ticksLeft() <= 15 * 100,
            "first probe within 15 s: " + socket.ticksLeft());
      }
    }
  }

  /**
   * The proxy's own connection to the member, while it relays a long poll: etcd's proxy dials
   * with keep-alive (30 s), so a member that vanished mid-poll is found out and the client gets
   * an answer it can retry on; without it the relayed poll waited for good (no read timeout by
   * default, since a poll may wait for hours).
   */
  @Test
  void theConnectionToTheMemberIsProbedAsEtcdsProxyDoes() throws Exception {
    assumeTrue(TcpSockets.readable(), "Linux's /proc/net/tcp shows timers");
    try (DebianEtcd member = DebianEtcd.member(tmp, "e")) {
      int memberPort = java.net.URI.create(member.clientUrl).getPort();
      int port = LoopbackPorts.next();
      try (ProxyProcess proxy = ProxyProcess.launch(tmp, "http://127.0.0.1:" + port,
          List.of("--initial-cluster", "e=" + member.peerUrl)).awaitServing();
          Socket poll = new Socket("127.0.0.1", port)) {
        poll.getOutputStream().write(
            "GET /v2/keys/quiet?wait=true HTTP/1.1\r\nHost: x\r\n\r\n".getBytes("US-ASCII"));
        poll.getOutputStream().flush();
        List<TcpSockets.Entry> upstream = List.of();
        for (int i = 0; i < 50 && upstream.isEmpty(); i++) {
          upstream = connectionsTo(memberPort, proxy.process.pid());
          if (upstream.isEmpty()) Thread.sleep(100);
        }
        assertTrue(!upstream.isEmpty(), "the proxy's connection to the member is listed");
        for (TcpSockets.Entry socket : upstream) {
          assertEquals(TcpSockets.TIMER_KEEPALIVE, socket.timer(), "a keep-alive timer runs on it");
          assertTrue(socket.ticksLeft() > 0 && socket.ticksLeft() <= 30 * 100,
              "first probe within 30 s: " + socket.ticksLeft());
        }
      }
    }
  }

  /** The process's established connections to remotePort. */
  private static List<TcpSockets.Entry> connectionsTo(int remotePort, long pid) throws IOException {
    java.util.Set<String> inodes = TcpSockets.inodesOf(pid);
    return TcpSockets.list().stream()
        .filter(e -> e.established() && e.remotePort() == remotePort && inodes.contains(e.inode()))
        .toList();
  }
}
