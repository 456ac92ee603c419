package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.server.config.ConfigLoader;
import io.v2store.server.config.LoadResult;
import io.v2store.server.config.ServerConfig;

import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client port in use (the old etcd still on it) stops the start as etcd's does: exit 1, one
 * line in Go's words, and no data dir made. The client listeners are bound before the data is
 * read, as etcd's are: a client that connects while the member starts waits for its answer.
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

  @Test
  void aMetricsPortInUseIsGoWordsFromTheBindItself() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      String metrics = "http://127.0.0.1:" + taken.getLocalPort();
      ServerConfig config = config(List.of("--listen-metrics-urls", metrics));
      ListenersFirst.check(config);
      ListenersFirst.ListenException e = assertThrows(ListenersFirst.ListenException.class,
          () -> ListenersFirst.bindClients(config));
      assertEquals("listen tcp 127.0.0.1:" + taken.getLocalPort()
          + ": bind: address already in use", e.getMessage());
      assertFreeAgain(config.listenClientUrls().get(0)); // the client listener was let go
    }
  }

  /**
   * A peer URL on a client listener's address (one port given for both) stops the start as
   * etcd's does, in Go's words and before the data dir is made (Debian's etcd 3.4.23: "listen tcp
   * 127.0.0.1:23801: bind: address already in use"), not once the data is read, when the
   * transport cannot bind the peer port, with a stack trace.
   */
  @Test
  void aPeerPortThatIsAlsoAClientPortStopsTheStartBeforeTheDataDirIsMade() throws Exception {
    String url = "http://127.0.0.1:" + LoopbackPorts.next();
    Path data = tmp.resolve("same.etcd");
    ServerConfig config = ((LoadResult.Run) ConfigLoader.load(new String[] {"--name", "n1",
        "--data-dir", data.toString(), "--listen-client-urls", url, "--advertise-client-urls", url,
        "--listen-peer-urls", url, "--initial-advertise-peer-urls", url,
        "--initial-cluster", "n1=" + url}, Map.of())).config();
    ListenersFirst.ListenException e = assertThrows(ListenersFirst.ListenException.class,
        () -> EtcdMember.start(config, cause -> { }));
    assertEquals("listen tcp 127.0.0.1:" + URI.create(url).getPort()
        + ": bind: address already in use", e.getMessage());
    assertFalse(Files.exists(data), "the data dir was made");
    assertFreeAgain(URI.create(url));
  }

  /**
   * A start that fails once its listeners are bound, early (a data dir that is a file) or late
   * (an https client URL without a certificate, found once the data dir is locked), lets them go.
   */
  @Test
  void aFailedStartLeavesNoListener() throws Exception {
    Path file = Files.writeString(tmp.resolve("file.etcd"), "not a directory");
    ServerConfig early = config(file, "http", List.of(
        "--listen-metrics-urls", "http://127.0.0.1:" + LoopbackPorts.next()));
    assertThrows(java.nio.file.FileSystemException.class, () -> EtcdMember.start(early, e -> { }));
    assertFreeAgain(early.listenClientUrls().get(0));
    assertFreeAgain(early.listenMetricsUrls().get(0));

    ServerConfig late = config(tmp.resolve("tls.etcd"), "https", List.of());
    assertThrows(io.v2store.server.tls.TlsFilesMissingException.class,
        () -> EtcdMember.start(late, e -> { }));
    assertFreeAgain(late.listenClientUrls().get(0));
  }

  /**
   * A member that waits for a quorum before it serves: a client's connection is made at once
   * (by the kernel, into the listener's backlog) and its request is answered once the member has
   * published itself, as etcd's; it was refused until then. Its metrics listener answers a health
   * check meanwhile, 503 as etcd's (Debian's etcd 3.4.23: {"health":"false"}), where it too was
   * refused.
   */
  @Test
  void aRequestMadeWhileTheMemberWaitsForAQuorumIsAnsweredOnceItServes() throws Exception {
    int metricsPort = LoopbackPorts.next();
    try (ServerProcess a = new ServerProcess("a", tmp.resolve("a"),
            List.of("--listen-metrics-urls", "http://127.0.0.1:" + metricsPort));
        ServerProcess b = new ServerProcess("b", tmp.resolve("b"), List.of())) {
      String initial = "a=" + a.peerUrl() + ",b=" + b.peerUrl();
      a.launch(initial, "new");
      URI url = URI.create(a.clientUrl());
      try (Socket client = connectWithin(a, new InetSocketAddress(url.getHost(), url.getPort()),
          Duration.ofSeconds(30))) {
        client.getOutputStream().write(("GET /v2/members HTTP/1.1\r\nHost: x\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        client.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read(),
            "answered without a quorum");
        try (Socket health = connectWithin(a, new InetSocketAddress(url.getHost(), metricsPort),
            Duration.ofSeconds(30))) {
          health.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: x\r\n"
              + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          health.setSoTimeout(60_000);
          String answer = new String(health.getInputStream().readAllBytes(),
              StandardCharsets.ISO_8859_1);
          assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable"), answer);
          assertTrue(answer.endsWith("{\"health\":\"false\"}\n"), answer);
        }

        b.launch(initial, "new");
        client.setSoTimeout(60_000); // a deadline for a loaded machine, not an expectation
        String answer = new String(client.getInputStream().readAllBytes(),
            StandardCharsets.ISO_8859_1);
        assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
        assertTrue(answer.contains("\"clientURLs\":[\"" + a.clientUrl() + "\"]"),
            "answered before a published itself: " + answer);
      }
    }
  }

  /** Connects as soon as the member listens, within the deadline. */
  private static Socket connectWithin(ServerProcess member, InetSocketAddress address,
      Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Socket s = new Socket();
      try {
        s.connect(address, 1_000);
        return s;
      } catch (IOException refused) {
        s.close();
        assertTrue(System.nanoTime() < end, "still refused after " + deadline + "; log:\n"
            + member.logTail());
        assertFalse(member.awaitExit(Duration.ofMillis(50)), "exited: " + member.logTail());
      }
    }
  }

  static void assertFreeAgain(URI url) throws IOException {
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress(url.getHost(), url.getPort())); // fails if still bound
    }
  }

  private ServerConfig config(List<String> extra) throws IOException {
    return config(tmp.resolve("m.etcd"), "http", extra);
  }

  private static ServerConfig config(Path data, String clientScheme, List<String> extra)
      throws IOException {
    String client = clientScheme + "://127.0.0.1:" + LoopbackPorts.next();
    String peer = "http://127.0.0.1:" + LoopbackPorts.next();
    List<String> args = new java.util.ArrayList<>(List.of("--name", "n1",
        "--data-dir", data.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "n1=" + peer));
    args.addAll(extra);
    return ((LoadResult.Run) ConfigLoader.load(args.toArray(String[]::new), Map.of())).config();
  }
}
