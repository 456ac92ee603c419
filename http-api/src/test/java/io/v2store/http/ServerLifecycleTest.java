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
}
