package io.v2store.http;

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

/**
 * A client that vanishes without closing its connection (its machine lost power, a network
 * partition, a NAT that forgot the mapping) sends no FIN or RST: only TCP keep-alive tells the
 * server. etcd's client listener turns it on for every connection it accepts, with a 30 s period
 * (its keepaliveListener), so a long poll parked for such a client is dropped after a few
 * minutes. Without it the watch, its connection and its file descriptor stayed for good (a quiet
 * key never writes to the dead connection), and /v2/stats/store counted the watcher forever.
 */
class ClientKeepAliveTest {
  private static final int TIMER_KEEPALIVE = 2;

  @Test
  void aParkedWatchsConnectionIsProbedAsEtcdsIs() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux's /proc/net/tcp shows timers");
    try (ServerFixture fixture = new ServerFixture()) {
      StringBuilder headers = new StringBuilder();
      try (Socket watch = ServerFixture.openAndReadHeaders(fixture.port,
          "GET /v2/keys/quiet?wait=true HTTP/1.1\r\nHost: x\r\n\r\n", headers)) {
        assertTrue(headers.toString().startsWith("HTTP/1.1 200 OK"), headers.toString());
        long[] timer = serverSideTimer(fixture.port, watch.getLocalPort());
        assertNotNull(timer, "the server's end of the connection is listed");
        assertEquals(TIMER_KEEPALIVE, timer[0], "a keep-alive timer runs on the idle connection");
        // clock ticks (USER_HZ, 100 a second) until the first probe: etcd's 30 s, not the
        // kernel's two hours
        assertTrue(timer[1] > 0 && timer[1] <= 30 * 100, "first probe within 30 s: " + timer[1]);
      }
    }
  }

  /** {timer kind, ticks left} of the server's socket of that connection, null if not found. */
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
