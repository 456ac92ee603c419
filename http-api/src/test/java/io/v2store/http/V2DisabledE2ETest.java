package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --enable-v2=false: etcd 3.4's default, where only /version, /health, /metrics,
 * /debug/vars and /config/local/log answer. */
class V2DisabledE2ETest {

  @Test
  void v2EndpointsAre404ButHealthVersionAndMetricsWork() throws Exception {
    HttpApiConfig disabled = new HttpApiConfig(HttpApiConfig.DEFAULT_MAX_REQUEST_BYTES,
        List.of("*"), Clock.systemUTC(), "3.4.23", "3.4.0",
        HttpApiConfig.DEFAULT_REQUEST_TIMEOUT_MILLIS, false, List.of("*"));
    try (ServerFixture f = new ServerFixture(disabled)) {
      for (String path : List.of("/v2/keys/a", "/v2/keys", "/v2/members", "/v2/machines",
          "/v2/stats/self", "/v2/stats/store")) {
        HttpResponse<String> r = f.get(path);
        assertEquals(404, r.statusCode(), path);
        assertEquals("404 page not found\n", r.body(), path);
      }
      assertEquals(200, f.get("/version").statusCode());
      assertEquals(200, f.get("/health").statusCode());
      assertEquals(200, f.get("/metrics").statusCode());
      assertEquals(200, f.get("/debug/vars").statusCode());
      assertEquals(405, f.get("/config/local/log").statusCode());
    }
  }
}
