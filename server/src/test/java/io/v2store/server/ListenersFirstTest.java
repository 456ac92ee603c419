package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.server.config.ConfigLoader;
import io.v2store.server.config.LoadResult;
import io.v2store.server.config.ServerConfig;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client port in use (the old etcd still on it) stops the start as etcd's does: exit 1, one
 * line in Go's words, and no data dir made.
 */
class ListenersFirstTest {
  @TempDir
  Path tmp;

  @Test
  void aClientPortInUseStopsTheStartBeforeTheDataDirIsMade() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      String url = "http://127.0.0.1:" + taken.getLocalPort();
      Path data = tmp.resolve("m.etcd");
      try (ServerProcess member = new ServerProcess(data,
          List.of("--listen-client-urls", url, "--advertise-client-urls", url))) {
        member.launch("n1=" + member.peerUrl(), "new");
        assertTrue(member.awaitExit(Duration.ofSeconds(60)), "still running");
        assertEquals(1, member.exitCode());
        String log = member.log();
        assertTrue(log.contains("n1: cannot start: listen tcp 127.0.0.1:" + taken.getLocalPort()
            + ": bind: address already in use"), log);
        assertFalse(log.contains("\tat "), "a stack trace: " + log);
        assertFalse(Files.exists(data), "the data dir was made");
      }
    }
  }

  @Test
  void aPortOutOfRangeIsOneLineAsEtcdSaysIt() {
    // etcd: "listen tcp: address 558879: invalid port" (exit 1); a port with a digit too many.
    String client = "http://127.0.0.1:558879";
    LoadResult loaded = ConfigLoader.load(new String[] {"--data-dir", tmp.resolve("m.etcd").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", "http://127.0.0.1:0", "--initial-advertise-peer-urls", "http://127.0.0.1:0"},
        Map.of());
    ServerConfig config = ((LoadResult.Run) loaded).config();
    ListenersFirst.ListenException e =
        assertThrows(ListenersFirst.ListenException.class, () -> ListenersFirst.check(config));
    assertEquals("listen tcp: address 558879: invalid port", e.getMessage());
  }
}
