package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --proxy on: a client that vanishes without closing (power lost, a partition) is found out by
 * TCP keep-alive only. etcd's proxy listens with Go's defaults, which probe an accepted
 * connection after 15 s idle and every 15 s after; ours had no keep-alive, so a long poll relayed
 * for such a client kept its connection (and the one to the member) for good.
 */
class ProxyKeepAliveTest {
  private static final int TIMER_KEEPALIVE = 2;

  @TempDir
  Path tmp;

  @Test
  void anIdleClientConnectionIsProbedAsEtcdsProxyDoes() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux's /proc/net/tcp shows timers");
    int port = ServerProcess.freePort();
    // no member there: the proxy still listens and answers
    try (ProxyProcess proxy = ProxyProcess.launch(tmp, "http://127.0.0.1:" + port,
        List.of("--initial-cluster", "m=http://127.0.0.1:" + ServerProcess.freePort()))) {
      proxy.get("/version");
      try (Socket idle = new Socket("127.0.0.1", port)) {
        long[] timer = null;
        for (int i = 0; i < 50 && timer == null; i++) {
          timer = serverSideTimer(port, idle.getLocalPort());
          if (timer == null) Thread.sleep(100);
        }
        assertNotNull(timer, "the proxy's end of the connection is listed");
        assertEquals(TIMER_KEEPALIVE, timer[0], "a keep-alive timer runs on the idle connection");
        // clock ticks (USER_HZ, 100 a second) until the first probe: Go's 15 s
        assertTrue(timer[1] > 0 && timer[1] <= 15 * 100, "first probe within 15 s: " + timer[1]);
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
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux's /proc/net/tcp shows timers");
    try (DebianEtcd member = DebianEtcd.member(tmp, "e")) {
      int memberPort = java.net.URI.create(member.clientUrl).getPort();
      int port = ServerProcess.freePort();
      try (ProxyProcess proxy = ProxyProcess.launch(tmp, "http://127.0.0.1:" + port,
          List.of("--initial-cluster", "e=" + member.peerUrl)).awaitServing();
          Socket poll = new Socket("127.0.0.1", port)) {
        poll.getOutputStream().write(
            "GET /v2/keys/quiet?wait=true HTTP/1.1\r\nHost: x\r\n\r\n".getBytes("US-ASCII"));
        poll.getOutputStream().flush();
        List<long[]> upstream = List.of();
        for (int i = 0; i < 50 && upstream.isEmpty(); i++) {
          upstream = timersTo(memberPort, proxy.process.pid());
          if (upstream.isEmpty()) Thread.sleep(100);
        }
        assertTrue(!upstream.isEmpty(), "the proxy's connection to the member is listed");
        for (long[] timer : upstream) {
          assertEquals(TIMER_KEEPALIVE, timer[0], "a keep-alive timer runs on it");
          assertTrue(timer[1] > 0 && timer[1] <= 30 * 100, "first probe within 30 s: " + timer[1]);
        }
      }
    }
  }

  /** The timers of the process's established connections to that local port. */
  private static List<long[]> timersTo(int remotePort, long pid) throws IOException {
    java.util.Set<String> inodes = new java.util.HashSet<>();
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString(); // socket:[inode]
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // gone between the listing and the read
        }
      }
    }
    List<long[]> found = new java.util.ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(file);
      if (!Files.isReadable(p)) {
        continue;
      }
      List<String> lines = Files.readAllLines(p);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (port(f[2]) == remotePort && f[3].equals("01") && inodes.contains(f[9])) {
          String[] timer = f[5].split(":");
          found.add(new long[] {Long.parseLong(timer[0], 16), Long.parseLong(timer[1], 16)});
        }
      }
    }
    return found;
  }

  /** {timer kind, ticks left} of the listening side's socket of that connection, or null. */
  private static long[] serverSideTimer(int serverPort, int clientPort) throws IOException {
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(file);
      if (!Files.isReadable(p)) {
        continue;
      }
      List<String> lines = Files.readAllLines(p);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        // sl local rem st tx:rx tr:when ...
        if (port(f[1]) == serverPort && port(f[2]) == clientPort && f[3].equals("01")) {
          String[] timer = f[5].split(":");
          return new long[] {Long.parseLong(timer[0], 16), Long.parseLong(timer[1], 16)};
        }
      }
    }
    return null;
  }

  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1)
        .toUpperCase(Locale.ROOT), 16);
  }
}
