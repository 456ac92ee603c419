package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's etcd.service is Type=notify: systemd waits for READY=1 on $NOTIFY_SOCKET, and a
 * binary that never sends it is killed at the start timeout and restarted in a loop. The test
 * plays systemd's side: a datagram socket it binds, named in the member's environment.
 */
class SystemdReadinessTest {
  @TempDir Path dir;

  @BeforeAll
  static void nativeSockets() {
    Epoll.ensureAvailability();
  }

  @Test
  void aMemberSaysReadyOnceItServesClients() throws Exception {
    Path socketPath = dir.resolve("notify");
    try (Receiver systemd = new Receiver(socketPath.toString(), socketPath.toString());
        ServerProcess member = new ServerProcess(dir.resolve("n1"), List.of())
            .withEnvironment("NOTIFY_SOCKET", socketPath.toString())) {
      member.launch("n1=" + member.peerUrl(), "new");
      assertEquals("READY=1", systemd.awaitDatagram(member::isAlive, member::logTail));
      // Sent only once the member serves: a client that systemd lets start after it gets answers.
      assertEquals(200, status(member.clientUrl() + "/health"));
      assertTrue(member.log().contains("successfully notified init daemon"), member.logTail());
    }
  }

  @Test
  void anAbstractSocketNameIsUnderstood() throws Exception {
    String name = "v2store-notify-test-" + ThreadLocalRandom.current().nextLong(1L << 40);
    try (Receiver systemd = new Receiver("\0" + name, "@" + name);
        ServerProcess member = new ServerProcess(dir.resolve("n1"), List.of())
            .withEnvironment("NOTIFY_SOCKET", "@" + name)) {
      member.launch("n1=" + member.peerUrl(), "new");
      assertEquals("READY=1", systemd.awaitDatagram(member::isAlive, member::logTail));
    }
  }

  @Test
  void aProxySaysReadyOnceItListens() throws Exception {
    Path socketPath = dir.resolve("notify");
    try (Receiver systemd = new Receiver(socketPath.toString(), socketPath.toString());
        ServerProcess member = new ServerProcess(dir.resolve("n1"), List.of())) {
      member.start("n1=" + member.peerUrl(), "new");
      String url = "http://127.0.0.1:" + LoopbackPorts.next();
      try (ProxyProcess proxy = ProxyProcess.launch(dir, url, "on",
          List.of("--initial-cluster", "n1=" + member.peerUrl()),
          java.util.Map.of("NOTIFY_SOCKET", socketPath.toString()))) {
        assertEquals("READY=1", systemd.awaitDatagram(proxy.process::isAlive, () -> {
          try {
            return proxy.log();
          } catch (IOException e) {
            return e.toString();
          }
        }));
        assertEquals(200, proxy.get("/version").statusCode());
      }
    }
  }

  @Test
  void aSocketNameThatIsNeitherPathNorAbstractIsRefused() {
    assertThrows(IOException.class, () -> SystemdReadiness.send("relative/notify", "READY=1"));
  }

  private static int status(String url) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** systemd's end: a bound Unix datagram socket, read without blocking until a deadline. */
  private static final class Receiver implements AutoCloseable {
    private final Socket socket = Socket.newSocketDomainDgram();
    private final String shownAs;

    Receiver(String bindName, String shownAs) throws IOException {
      this.shownAs = shownAs;
      socket.bind(new DomainSocketAddress(bindName));
    }

    String awaitDatagram(java.util.function.BooleanSupplier alive,
        java.util.function.Supplier<String> log) throws Exception {
      ByteBuf buf = Unpooled.directBuffer(4096);
      try {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
          ByteBuffer nio = buf.nioBuffer(0, buf.capacity());
          var from = socket.recvFromDomainSocket(nio, 0, nio.limit());
          if (from != null) {
            byte[] got = new byte[from.receivedAmount()];
            nio.get(0, got);
            return new String(got, StandardCharsets.UTF_8);
          }
          assertTrue(alive.getAsBoolean(), "exited before notifying; log:\n" + log.get());
          Thread.sleep(20);
        }
      } finally {
        buf.release();
      }
      throw new AssertionError(
          "no datagram on " + shownAs + " within 60 s; log:\n" + log.get());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
