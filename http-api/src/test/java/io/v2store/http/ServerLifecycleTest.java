package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLifecycleTest {

  @Test
  void bindsAllOrNone() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        DirectBackend backend = new DirectBackend()) {
      HttpApiServer server = new HttpApiServer(HttpApiConfig.defaults(), backend,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      assertThrows(IllegalStateException.class, () -> server.start(
          List.of(URI.create("http://127.0.0.1:0"),
              URI.create("http://127.0.0.1:" + taken.getLocalPort())), List.of()));
      assertTrue(server.boundAddresses().isEmpty());
      server.close();
      server.close(); // idempotent
    }
  }

  @Test
  void refusesListenUrlsItCannotServe() throws Exception {
    try (DirectBackend backend = new DirectBackend()) {
      HttpApiServer server = new HttpApiServer(HttpApiConfig.defaults(), backend,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> server.start(List.of(URI.create("unix://127.0.0.1:0")), List.of()));
      assertEquals("listen URL must be http(s)://host:port: unix://127.0.0.1:0", e.getMessage());
      // https needs a certificate: etcd's words when none is given.
      RuntimeException noCert = assertThrows(RuntimeException.class,
          () -> server.start(List.of(URI.create("https://127.0.0.1:0")), List.of()));
      assertEquals("cannot listen on TLS for 127.0.0.1:0: KeyFile and CertFile are not presented",
          noCert.getMessage());
      assertTrue(server.boundAddresses().isEmpty());
      server.close();
    }
  }

  /**
   * A request being answered when the server stops is answered before its connection closes,
   * as etcd's server drains its requests: a member stopped (SIGTERM) while a write it had
   * forwarded waited for its commit closed the connection without an answer, although the
   * write was committed.
   */
  @Test
  void aStopAnswersTheRequestsUnderWay() throws Exception {
    ServerFixture fixture = new ServerFixture();
    try {
      java.util.concurrent.CompletableFuture<Boolean> health =
          new java.util.concurrent.CompletableFuture<>();
      fixture.backend.health = health;
      java.util.concurrent.CompletableFuture<String> answer =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
              return ServerFixture.raw(fixture.port,
                  "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            } catch (java.io.IOException e) {
              return "failed: " + e;
            }
          });
      // The request reaches its handler, which waits for the health answer (and gives it 1 s).
      awaitTrue(() -> health.getNumberOfDependents() > 0, "the request waits for the health answer");
      Thread stopping = new Thread(fixture.server::close);
      stopping.start();
      // The stop has closed the listeners and waits for the answers under way.
      awaitTrue(() -> stopping.getState() == Thread.State.TIMED_WAITING, "the stop waits");
      health.complete(true);
      stopping.join(10_000);
      assertTrue(!stopping.isAlive(), "the stop must not wait once nothing is being answered");
      String got = answer.get(15, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(got.startsWith("HTTP/1.1 200 OK"), got);
      assertTrue(got.endsWith("{\"health\":\"true\"}"), got);
    } finally {
      fixture.close();
    }
  }

  /** Waits (bounded, polling) for a condition: a loaded machine may take its time. */
  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(1);
    }
  }
}
