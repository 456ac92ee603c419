package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Listeners bound before the member can serve, as etcd binds its own: a client that connects
 * meanwhile (confd with one endpoint, a health check) is not refused; its request waits in the
 * backlog and is answered once the server serves.
 */
class BoundListenersTest {
  private static final String VERSION =
      "GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

  @Test
  void aRequestMadeBeforeServingIsAnsweredOnceServed() throws Exception {
    BoundListeners bound = BoundListeners.bind(List.of(URI.create("http://127.0.0.1:0")),
        List.of(URI.create("http://127.0.0.1:0")));
    DirectBackend backend = new DirectBackend();
    HttpApiServer server = new HttpApiServer(ServerFixture.config(List.of("*"), 1 << 20, 7_000),
        backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try (backend;
        Socket client = new Socket();
        Socket metrics = new Socket()) {
      List<InetSocketAddress> addresses = bound.addresses();
      client.connect(addresses.get(0), 10_000); // the kernel completes it: not refused
      metrics.connect(addresses.get(1), 10_000);
      send(client, VERSION);
      send(metrics, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      metrics.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, () -> metrics.getInputStream().read(),
          "answered before the server serves");

      // the metrics listeners first, as etcd's serve before the member has published itself
      server.serveMetrics(bound, Optional.empty());
      assertEquals(addresses, server.boundAddresses());
      String health = readAll(metrics);
      assertTrue(health.startsWith("HTTP/1.1 200 OK"), health);
      client.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read(),
          "a client answered before the member is ready");

      server.serveClients();
      String version = readAll(client);
      assertTrue(version.startsWith("HTTP/1.1 200 OK"), version);
      assertTrue(version.endsWith("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}"),
          version);
    } finally {
      server.close();
    }
  }

  @Test
  void closingListenersNotServedFreesTheirPorts() throws Exception {
    BoundListeners bound = BoundListeners.bind(List.of(URI.create("http://127.0.0.1:0")),
        List.of(URI.create("http://127.0.0.1:0")));
    List<InetSocketAddress> addresses = bound.addresses();
    bound.close();
    bound.close(); // again: nothing
    assertTrue(bound.addresses().isEmpty());
    for (InetSocketAddress a : addresses) {
      try (ServerSocket again = new ServerSocket()) {
        again.bind(a); // would fail if the listener were still bound
      }
    }
  }

  @Test
  void anAddressInUseBindsNoneAndSaysWhich() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      URI free = URI.create("http://127.0.0.1:" + freePort());
      URI inUse = URI.create("http://127.0.0.1:" + taken.getLocalPort());
      BoundListeners.BindFailure e = assertThrows(BoundListeners.BindFailure.class,
          () -> BoundListeners.bind(List.of(free), List.of(inUse)));
      assertEquals(inUse, e.url());
      try (ServerSocket again = new ServerSocket()) {
        again.bind(new InetSocketAddress("127.0.0.1", free.getPort())); // let go again
      }
    }
  }

  private static int freePort() {
    return LoopbackPorts.next();
  }

  private static void send(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** Until the server closes, within a deadline for a loaded machine. */
  private static String readAll(Socket s) throws IOException {
    s.setSoTimeout(15_000);
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
