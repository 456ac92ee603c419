package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.v2store.storage.store.KeySpace;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients cannot hold every file descriptor the member may open (the Raft log needs new files as
 * it is written, or the member stops): past its budget a listener accepts no more connections,
 * which wait in the backlog until one closes, and are then served.
 */
class ConnectionBudgetTest {
  private static final String VERSION = "GET /version HTTP/1.1\r\nHost: x\r\n\r\n";

  /** A client and a metrics listener on free ports, the clients' budget max connections. */
  private static HttpApiServer startWithClientBudget(int max) {
    HttpApiServer server = new HttpApiServer(ServerFixture.config(List.of("*"), 1 << 20, 7_000),
        new DirectBackend(KeySpace.DEFAULT_HISTORY),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    server.limitConnections(max);
    server.start(List.of(URI.create("http://127.0.0.1:0")), List.of(URI.create("http://127.0.0.1:0")));
    return server;
  }

  @Test
  void connectionsPastTheBudgetWaitUntilOneCloses() throws Exception {
    HttpApiServer server = startWithClientBudget(3);
    int port = server.boundAddresses().get(0).getPort();
    int metricsPort = server.boundAddresses().get(1).getPort();
    List<Socket> held = new ArrayList<>();
    try {
      // the metrics listener's connections are not the clients' (it has a budget of its own)
      held.add(ServerFixture.openAndReadHeaders(port, VERSION, new StringBuilder()));
      held.add(ServerFixture.openAndReadHeaders(metricsPort,
          "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", new StringBuilder()));
      held.add(ServerFixture.openAndReadHeaders(port, VERSION, new StringBuilder()));
      held.add(ServerFixture.openAndReadHeaders(port, VERSION, new StringBuilder()));
      try (Socket waiting = new Socket("127.0.0.1", port)) {
        waiting.getOutputStream().write(VERSION.getBytes(StandardCharsets.ISO_8859_1));
        waiting.setSoTimeout(1_000);
        InputStream in = waiting.getInputStream();
        assertThrows(SocketTimeoutException.class, in::read, "answered past the budget");
        held.remove(0).close();
        waiting.setSoTimeout(10_000);
        assertTrue(headers(in).startsWith("HTTP/1.1 200 OK"), "served once a connection closed");
      }
    } finally {
      for (Socket s : held) s.close();
      server.close();
    }
  }

  /**
   * Health checks and Prometheus scrape the metrics URL precisely to learn about a member that is
   * busy with clients (a Kubernetes liveness probe there restarts a member that does not answer):
   * clients holding every connection they may have must not leave those waiting.
   */
  @Test
  void theMetricsListenerAnswersWhileClientsHoldTheirWholeBudget() throws Exception {
    HttpApiServer server = startWithClientBudget(3);
    int port = server.boundAddresses().get(0).getPort();
    int metricsPort = server.boundAddresses().get(1).getPort();
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(ServerFixture.openAndReadHeaders(port, VERSION, new StringBuilder()));
      }
      for (int probe = 0; probe < 3; probe++) { // a probe per connection, as kubelet's
        try (Socket health = new Socket("127.0.0.1", metricsPort)) {
          health.getOutputStream().write(
              "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.ISO_8859_1));
          health.setSoTimeout(5_000);
          assertTrue(headers(health.getInputStream()).startsWith("HTTP/1.1 200 OK"),
              "probe " + probe);
        }
      }
    } finally {
      for (Socket s : held) s.close();
      server.close();
    }
  }

  private static String headers(InputStream in) throws IOException {
    StringBuilder headers = new StringBuilder();
    while (headers.length() < 4 || !headers.substring(headers.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed before headers ended: " + headers);
      headers.append((char) b);
    }
    return headers.toString();
  }
}
