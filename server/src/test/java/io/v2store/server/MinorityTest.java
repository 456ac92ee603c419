package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
      assertEquals(201, Http.put(a, "/v2/keys/k", "value=1").statusCode());

      all.get(1).kill9();
      all.get(2).kill9();

      HttpResponse<String> write = Http.put(a, "/v2/keys/k", "value=2");
      assertEquals(500, write.statusCode());
      assertEquals(TIMED_OUT, write.body());
      HttpResponse<String> quorumRead = Http.get(a, "/v2/keys/k?quorum=true");
      assertEquals(500, quorumRead.statusCode());
      assertEquals(TIMED_OUT, quorumRead.body());
      HttpResponse<String> plainRead = Http.get(a, "/v2/keys/k");
      assertEquals(200, plainRead.statusCode());
      assertTrue(plainRead.body().contains("\"value\":\"1\""), plainRead.body());
      assertEquals(503, Http.get(a, "/health").statusCode());

      ServerProcess.startTogether(all.subList(1, 3), initial);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (Http.put(a, "/v2/keys/k", "value=3").statusCode() != 200) {
        assertTrue(System.nanoTime() < deadline, "writes did not resume; log:\n" + a.logTail());
      }
      assertTrue(Http.get(all.get(2), "/v2/keys/k?quorum=true").body().contains("\"value\":\"3\""));
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }



}
