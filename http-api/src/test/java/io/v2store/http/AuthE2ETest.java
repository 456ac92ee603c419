package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Clients ask whether v2 auth is on; with it off etcd answers these two (spec 10.7). */
class AuthE2ETest {

  @Test
  void authIsReportedOff() throws Exception {
    try (ServerFixture f = new ServerFixture()) {
      HttpResponse<String> enable = f.get("/v2/auth/enable");
      assertEquals(200, enable.statusCode());
      assertEquals("{\"enabled\":false}\n", enable.body());
      assertEquals("application/json", enable.headers().firstValue("Content-Type").orElse(""));
      assertTrue(enable.headers().firstValue("X-Etcd-Cluster-Id").isPresent());
      assertEquals("{\"users\":null}\n", f.get("/v2/auth/users").body());
      HttpResponse<String> turnOn = f.send("PUT", "/v2/auth/enable");
      assertEquals(400, turnOn.statusCode());
      assertTrue(turnOn.body().contains("not supported"), turnOn.body());
    }
  }
}
