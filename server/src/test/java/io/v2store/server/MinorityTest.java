package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that cannot reach a quorum must not pretend: writes and quorum reads get etcd's
 * 500 / error 300 "request timed out", plain reads keep answering from local state, /health turns
 * 503; when the others come back it serves writes again with no operator action.
 */
class MinorityTest {
  private static final String TIMED_OUT =
      "{\"errorCode\":300,\"message\":\"Raft Internal Error\","
          + "\"cause\":\"etcdserver: request timed out\",\"index\":0}\n";
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path tmp;

  @Test
  void aLoneMemberRefusesWritesAndQuorumReadsUntilTheOthersReturn() throws Exception {
    List<String> names = List.of("a", "b", "c");
    List<ServerProcess> all = new ArrayList<>();
    try {
      for (String n : names) all.add(new ServerProcess(n, tmp.resolve(n), List.of()));
      String initial = String.join(",",
          names.stream().map(n -> n + "=" + all.get(names.indexOf(n)).peerUrl()).toList());
      ServerProcess.startTogether(all, initial);
      ServerProcess a = all.get(0);
      assertEquals(201, put(a, "/v2/keys/k", "value=1").statusCode());

      all.get(1).kill9();
      all.get(2).kill9();

      HttpResponse<String> write = put(a, "/v2/keys/k", "value=2");
      assertEquals(500, write.statusCode());
      assertEquals(TIMED_OUT, write.body());
      HttpResponse<String> quorumRead = get(a, "/v2/keys/k?quorum=true");
      assertEquals(500, quorumRead.statusCode());
      assertEquals(TIMED_OUT, quorumRead.body());
      HttpResponse<String> plainRead = get(a, "/v2/keys/k");
      assertEquals(200, plainRead.statusCode());
      assertTrue(plainRead.body().contains("\"value\":\"1\""), plainRead.body());
      assertEquals(503, get(a, "/health").statusCode());

      ServerProcess.startTogether(all.subList(1, 3), initial);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (put(a, "/v2/keys/k", "value=3").statusCode() != 200) {
        assertTrue(System.nanoTime() < deadline, "writes did not resume; log:\n" + a.logTail());
      }
      assertTrue(get(all.get(2), "/v2/keys/k?quorum=true").body().contains("\"value\":\"3\""));
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }


  private HttpResponse<String> put(ServerProcess p, String path, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(p.clientUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(ServerProcess p, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(p.clientUrl() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
