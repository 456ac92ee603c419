package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.v2store.testkit.LoopbackPorts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --proxy-dial-timeout 0 is no timeout, as for etcd's proxy (Go's dialer with a zero Timeout
 * waits for the system's own). Ours took it as one millisecond: every member whose connection
 * took longer to set up (any network but the loopback, a member whose listen backlog is full for
 * a moment) failed, and every request through the proxy got 502.
 */
class ProxyDialTimeoutTest {
  @TempDir
  Path tmp;

  @Test
  void aZeroDialTimeoutWaitsForASlowDialAsEtcdsProxyDoes() throws Exception {
    // A member whose accept queue is full: the kernel drops the proxy's SYN, and its
    // retransmission a second later gets through once the member accepts again.
    try (ServerSocket member = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      List<SocketChannel> fillers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        SocketChannel filler = SocketChannel.open();
        filler.configureBlocking(false);
        filler.connect(member.getLocalSocketAddress());
        fillers.add(filler);
      }
      HttpServer peer = MembersStub.start(member::getLocalPort);
      int port = LoopbackPorts.next();
      try (ProxyProcess proxy = ProxyProcess.launch(tmp, "http://127.0.0.1:" + port,
          List.of("--initial-cluster", "m=http://127.0.0.1:" + peer.getAddress().getPort(),
              "--proxy-dial-timeout", "0"))) {
        awaitListening(port); // the member list is had before the proxy listens
        Thread acceptor = new Thread(() -> acceptAfterASecond(member));
        acceptor.setDaemon(true);
        acceptor.start();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(proxy.url + "/version"))
                .timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"etcdserver\":\"3.4.23\"}", answer.body());
      } finally {
        peer.stop(0);
        for (SocketChannel filler : fillers) filler.close();
      }
    }
  }

  private static void awaitListening(int port) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the proxy does not listen");
  }

  /** Accepts after a second, answering every request that comes as a member answers /version. */
  private static void acceptAfterASecond(ServerSocket member) {
    try {
      Thread.sleep(1_000);
      while (true) {
        Socket accepted = member.accept();
        Thread answer = new Thread(() -> answer(accepted));
        answer.setDaemon(true);
        answer.start();
      }
    } catch (Exception closed) {
      // the test is over
    }
  }

  private static void answer(Socket socket) {
    try (socket) {
      socket.setSoTimeout(20_000);
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      int c;
      while (head.indexOf("\r\n\r\n") < 0 && (c = in.read()) >= 0) {
        head.append((char) c);
      }
      if (head.indexOf("\r\n\r\n") < 0) return; // a filler, closed unasked
      byte[] body = "{\"etcdserver\":\"3.4.23\"}".getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
          + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (Exception gone) {
      // nothing to answer
    }
  }
}
