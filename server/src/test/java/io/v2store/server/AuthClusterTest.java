package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v2 auth is replicated state: set up through one member it is enforced by every member, and a
 * member killed with SIGKILL comes back with it, from its log and from a snapshot (with
 * --snapshot-count 20 the writes below snapshot and compact several times).
 */
class AuthClusterTest {
  @TempDir
  Path tmp;

  /** Asks again (for at most 30 s) until the answer has the status, then checks it. */
  private static void expectWithin(int status, Request request) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    HttpResponse<String> r = request.send();
    while (r.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling a condition with a deadline
      r = request.send();
    }
    expect(status, r);
  }

  private interface Request {
    HttpResponse<String> send() throws Exception;
  }

  private static void expect(int status, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), r.body());
  }

  @Test
  void everyMemberEnforcesAuthAndAMemberKeepsItAcrossKillAndSnapshot() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try {
      String initial = ServerProcess.startCluster(tmp, List.of("a", "b", "c"),
          List.of("--snapshot-count", "20"), all);
      ServerProcess a = all.get(0);
      ServerProcess b = all.get(1);
      ServerProcess c = all.get(2);

      expect(201, Http.as(a, null, "PUT", "/v2/auth/users/root",
          "{\"user\":\"root\",\"password\":\"pw\"}"));
      expect(200, Http.as(b, null, "PUT", "/v2/auth/enable", null));
      expect(200, Http.as(c, "root:pw", "PUT", "/v2/auth/roles/guest",
          "{\"role\":\"guest\",\"revoke\":{\"kv\":{\"write\":[\"/*\"]}}}"));
      // every member: the guest may read, not write; root may write (each member applies the
      // role's change on its own time, so the first refusal is awaited)
      for (ServerProcess p : all) {
        expectWithin(401, () -> Http.put(p, "/v2/keys/k", "value=guest"));
        expect(401, Http.as(p, "root:wrong", "PUT", "/v2/keys/k?value=x", null));
        assertTrue(Http.as(p, "root:pw", "PUT", "/v2/keys/k?value=" + p.name(), null)
            .statusCode() / 100 == 2);
        expect(200, Http.get(p, "/v2/keys/k"));
      }

      c.kill9();
      for (int i = 0; i < 60; i++) {
        expect(201, Http.as(a, "root:pw", "PUT", "/v2/keys/many/k" + i + "?value=" + i, null));
      }
      c.start(initial, "new");
      String last = "/v2/keys/many/k59";
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      while (Http.get(c, last).statusCode() != 200) {
        assertTrue(System.nanoTime() < deadline, "c did not catch up:\n" + c.logTail());
        Thread.sleep(50); // polling a condition with a deadline
      }
      expect(401, Http.put(c, "/v2/keys/k", "value=guest"));
      expect(200, Http.as(c, "root:pw", "PUT", "/v2/keys/k?value=c2", null));
      expect(200, Http.as(c, "root:pw", "GET", "/v2/auth/enable", null));

      // every member restarted: what each restores from its own snapshot and log
      for (ServerProcess p : all) p.kill9();
      ServerProcess.startTogether(all, initial);
      for (ServerProcess p : all) {
        assertTrue(java.util.regex.Pattern.compile("recovered snapshot at index [1-9]")
            .matcher(p.log()).find(), "restored from a snapshot: " + p.logTail());
        expect(401, Http.put(p, "/v2/keys/k", "value=guest"));
        assertEquals("{\"enabled\":true}\n", Http.get(p, "/v2/auth/enable").body());
      }
      expect(200, Http.as(b, "root:pw", "DELETE", "/v2/auth/enable", null));
      // b answered once it applied the change; a applies it on its own time (as etcd's members
      // do), so a takes the guest's write once it has: within a deadline, not at once
      expectWithin(200, () -> Http.put(a, "/v2/keys/k", "value=guest"));
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }
}
