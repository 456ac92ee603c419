package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * v2 auth over a member without Raft: the off state clients probe for (spec 10.7), turning it
 * on, and what a guest, a user with a role and root may then do. (AuthApiTest in server compares
 * every answer with etcd's byte for byte; this one is about our own mechanics.)
 */
class AuthE2ETest {

  private static HttpResponse<String> as(ServerFixture f, String user, String method, String path,
      String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(path)).method(method,
        json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    return f.send(b.build());
  }

  /**
   * A change waits for a quorum as long as a key write does, then etcd's bare 500: the
   * linearizable read it starts with has no timer of its own, and without one the answer never
   * came while the cluster had no quorum.
   */
  @Test
  void aChangeWithoutAQuorumTimesOutAsAWriteDoes() throws Exception {
    try (ServerFixture f = new ServerFixture(ServerFixture.config(List.of("*"), 1 << 20, 300))) {
      f.backend.stalled = true;
      for (String[] change : new String[][] {
          {"PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"pw\"}"},
          {"PUT", "/v2/auth/enable", null}, {"DELETE", "/v2/auth/roles/r", null}}) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(change[1])).method(change[0],
            change[2] == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(change[2]));
        if (change[2] != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = f.client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
            .get(10, TimeUnit.SECONDS);
        assertEquals(500, r.statusCode(), change[1]);
        assertEquals("{\"message\":\"Internal Server Error\"}", r.body(), change[1]);
      }
    }
  }

  /**
   * Grants of many roles to one user at once (a provisioning script run in parallel): each is
   * planned on the records it read and written on condition they did not change, so a racing
   * grant makes it plan again. None may be lost (etcd's could) and none refused: all are
   * answered 200 and the user ends with every role.
   */
  @Test
  void racingGrantsToOneUserAreAllAppliedAndAnswered() throws Exception {
    try (ServerFixture f = new ServerFixture()) {
      assertEquals(201, as(f, null, "PUT", "/v2/auth/users/u",
          "{\"user\":\"u\",\"password\":\"pw\"}").statusCode());
      int n = 40;
      List<CompletableFuture<HttpResponse<String>>> grants = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        assertEquals(201, as(f, null, "PUT", "/v2/auth/roles/r" + i,
            "{\"role\":\"r" + i + "\"}").statusCode());
      }
      for (int i = 0; i < n; i++) {
        grants.add(f.client.sendAsync(HttpRequest.newBuilder(f.uri("/v2/auth/users/u"))
            .PUT(HttpRequest.BodyPublishers.ofString(
                "{\"user\":\"u\",\"grant\":[\"r" + i + "\"]}"))
            .header("Content-Type", "application/json").build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < n; i++) {
        HttpResponse<String> r = grants.get(i).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), "grant of r" + i + ": " + r.body());
      }
      String user = f.get("/v2/auth/users/u").body();
      for (int i = 0; i < n; i++) {
        assertTrue(user.contains("{\"role\":\"r" + i + "\","), "r" + i + " lost: " + user);
      }
    }
  }

  @Test
  void authIsReportedOffUntilTurnedOn() throws Exception {
    try (ServerFixture f = new ServerFixture()) {
      HttpResponse<String> enable = f.get("/v2/auth/enable");
      assertEquals(200, enable.statusCode());
      assertEquals("{\"enabled\":false}\n", enable.body());
      assertEquals("application/json", enable.headers().firstValue("Content-Type").orElse(""));
      assertTrue(enable.headers().firstValue("X-Etcd-Cluster-Id").isPresent());
      assertEquals("{\"users\":null}\n", f.get("/v2/auth/users").body());
      HttpResponse<String> noRoot = f.send("PUT", "/v2/auth/enable");
      assertEquals(409, noRoot.statusCode());
      assertEquals("{\"message\":\"auth: No root user available, please create one\"}",
          noRoot.body());
    }
  }

  @Test
  void onceOnTheGuestUsersAndRootGetWhatTheirRolesAllow() throws Exception {
    try (ServerFixture f = new ServerFixture()) {
      assertEquals(201, as(f, null, "PUT", "/v2/auth/users/root",
          "{\"user\":\"root\",\"password\":\"pw\"}").statusCode());
      assertEquals(201, as(f, null, "PUT", "/v2/auth/roles/app",
          "{\"role\":\"app\",\"permissions\":{\"kv\":{\"read\":[\"/app/*\"],"
              + "\"write\":[\"/app/*\"]}}}").statusCode());
      assertEquals(201, as(f, null, "PUT", "/v2/auth/users/svc",
          "{\"user\":\"svc\",\"password\":\"s\"}").statusCode());
      assertEquals(200, as(f, null, "PUT", "/v2/auth/users/svc",
          "{\"user\":\"svc\",\"grant\":[\"app\"]}").statusCode());
      assertEquals(200, as(f, null, "PUT", "/v2/auth/enable", null).statusCode());
      assertEquals("{\"enabled\":true}\n", f.get("/v2/auth/enable").body());

      // the guest role enable made lets everyone in, as etcd's does, until root narrows it
      assertEquals(201, f.form("PUT", "/v2/keys/other/k", "value=1").statusCode());
      assertEquals(200, as(f, "root:pw", "PUT", "/v2/auth/roles/guest",
          "{\"role\":\"guest\",\"revoke\":{\"kv\":{\"write\":[\"/*\"]}}}").statusCode());
      HttpResponse<String> guestWrite = f.form("PUT", "/v2/keys/other/k", "value=2");
      assertEquals(401, guestWrite.statusCode());
      assertEquals("{\"errorCode\":110,\"message\":\"The request requires user authentication\","
          + "\"cause\":\"Insufficient credentials\",\"index\":0}\n", guestWrite.body());
      assertEquals(200, f.get("/v2/keys/other/k").statusCode()); // reads still allowed

      // a user: their role's prefix, nothing else; a wrong password is no guest
      assertEquals(201, as(f, "svc:s", "PUT", "/v2/keys/app/x?value=1", null).statusCode());
      assertEquals(401, as(f, "svc:s", "PUT", "/v2/keys/other/k?value=3", null).statusCode());
      assertEquals(401, as(f, "svc:bad", "GET", "/v2/keys/other/k", null).statusCode());
      assertEquals(401, as(f, "ghost:s", "GET", "/v2/keys/other/k", null).statusCode());
      assertEquals(401, as(f, "svc:s", "GET", "/v2/auth/users", null).statusCode());
      assertEquals(401, as(f, "svc:s", "DELETE", "/v2/auth/enable", null).statusCode());

      // root may do anything; a remembered password still fails once the user's hash changes
      assertEquals(200, as(f, "root:pw", "PUT", "/v2/keys/other/k?value=4", null).statusCode());
      assertEquals(200, as(f, "root:pw", "PUT", "/v2/auth/users/svc",
          "{\"user\":\"svc\",\"password\":\"s2\"}").statusCode());
      assertEquals(401, as(f, "svc:s", "PUT", "/v2/keys/app/x?value=2", null).statusCode());
      assertEquals(200, as(f, "svc:s2", "PUT", "/v2/keys/app/x?value=2", null).statusCode());
      assertEquals(200, as(f, "root:pw", "DELETE", "/v2/auth/enable", null).statusCode());
      assertEquals(200, f.form("PUT", "/v2/keys/other/k", "value=5").statusCode());
    }
  }

  /** A pool's burst of the same credentials shares one check instead of overflowing the queue. */
  /**
   * A null in a JSON list of names is stored as "", as etcd stores it. etcd's handler then crashes
   * (the connection closes without an answer) when it reads such a user or checks a key against
   * such a pattern; ours answers as etcd does for a role that does not exist and a pattern that
   * matches nothing (README's differences).
   */
  @Test
  void emptyNamesFromJsonNullsAreAnsweredNotCrashedOn() throws Exception {
    try (ServerFixture f = new ServerFixture()) {
      assertEquals(201, as(f, null, "PUT", "/v2/auth/roles/r1", "{\"role\":\"r1\"}").statusCode());
      HttpResponse<String> made = as(f, null, "PUT", "/v2/auth/users/u",
          "{\"user\":\"u\",\"password\":\"pw\",\"roles\":[\"r1\",null]}");
      assertEquals("{\"user\":\"u\",\"roles\":[\"r1\",\"\"]}", made.body().strip());
      HttpResponse<String> user = f.get("/v2/auth/users/u");
      assertEquals(404, user.statusCode());
      assertEquals("{\"message\":\"auth: Role  does not exist.\"}", user.body());
      assertEquals("{\"users\":[{\"user\":\"u\",\"roles\":[{\"role\":\"r1\",\"permissions\":"
          + "{\"kv\":{\"read\":null,\"write\":null}}}]}]}\n", f.get("/v2/auth/users").body());

      // the guest may write /a/* only; an empty pattern ahead of that one matches nothing
      assertEquals(201, as(f, null, "PUT", "/v2/auth/users/root",
          "{\"user\":\"root\",\"password\":\"pw\"}").statusCode());
      assertEquals(200, as(f, null, "PUT", "/v2/auth/enable", null).statusCode());
      assertEquals(200, as(f, "root:pw", "PUT", "/v2/auth/roles/guest",
          "{\"role\":\"guest\",\"revoke\":{\"kv\":{\"write\":[\"/*\"]}}}").statusCode());
      assertEquals(200, as(f, "root:pw", "PUT", "/v2/auth/roles/guest",
          "{\"role\":\"guest\",\"grant\":{\"kv\":{\"write\":[null,\"/a/*\"]}}}").statusCode());
      assertEquals(201, f.form("PUT", "/v2/keys/a/k", "value=1").statusCode());
      assertEquals(401, f.form("PUT", "/v2/keys/b", "value=1").statusCode());
    }
  }

  @Test
  void manyRequestsWithTheSameCredentialsAtOnceAreAllAnswered() throws Exception {
    Passwords passwords = new Passwords();
    try {
      String hash = CompletableFuture.supplyAsync(() -> passwords.hash("pw"),
          passwords.worker()).get(30, TimeUnit.SECONDS);
      java.util.List<CompletableFuture<Boolean>> burst = new java.util.ArrayList<>();
      for (int i = 0; i < 1_000; i++) burst.add(passwords.matches("pool", hash, "pw"));
      for (CompletableFuture<Boolean> each : burst) {
        assertTrue(each.get(60, TimeUnit.SECONDS), "one of the burst refused");
      }
    } finally {
      passwords.close();
    }
  }

  /**
   * A bcrypt thread that cannot be started (the JVM's "unable to create native thread", for a
   * while) fails that one check. Before, the check stayed registered as running, never to end:
   * every later request with the same credentials waited on it, and hung, for good.
   */
  @Test
  void aCheckWhoseThreadCannotStartDoesNotHoldTheNextOnes() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean failNext =
        new java.util.concurrent.atomic.AtomicBoolean();
    Passwords passwords = new Passwords(r -> {
      Thread t = new Thread(r, "auth-bcrypt") {
        @Override
        public synchronized void start() {
          if (failNext.getAndSet(false)) {
            throw new OutOfMemoryError("unable to create native thread");
          }
          super.start();
        }
      };
      t.setDaemon(true);
      return t;
    });
    try {
      String hash = CompletableFuture.supplyAsync(() -> passwords.hash("pw"),
          passwords.worker()).get(30, TimeUnit.SECONDS);
      // the thread that hashed is idle now; the next check needs the second one
      failNext.set(true);
      CompletableFuture<Boolean> failed = null;
      try {
        failed = passwords.matches("u", hash, "pw");
      } catch (OutOfMemoryError expected) {
        // the request that met it fails
      }
      if (failed != null) {
        CompletableFuture<Boolean> first = failed;
        assertTrue(first.isDone() || first.get(30, TimeUnit.SECONDS), "the failed check ended");
      }
      assertTrue(passwords.matches("u", hash, "pw").get(30, TimeUnit.SECONDS),
          "the next request is checked");
    } finally {
      passwords.close();
    }
  }

  @Test
  void bcryptMatchesGosHashesAndARememberedPasswordSkipsIt() throws Exception {
    Passwords passwords = new Passwords();
    try {
      String hash = CompletableFuture.supplyAsync(() -> passwords.hash("secret"),
          passwords.worker()).get(30, TimeUnit.SECONDS);
      assertTrue(hash.startsWith("$2a$10$"), hash); // Go's bcrypt.DefaultCost, etcd's format
      CompletableFuture<Boolean> first = passwords.matches("u", hash, "secret");
      assertTrue(first.get(30, TimeUnit.SECONDS));
      CompletableFuture<Boolean> again = passwords.matches("u", hash, "secret");
      assertTrue(again.isDone() && again.join(), "remembered: answered without bcrypt");
      CompletableFuture<Boolean> wrong = passwords.matches("u", hash, "Secret");
      assertTrue(!wrong.isDone() || !wrong.join(), "a wrong password is never remembered");
      assertEquals(false, wrong.get(30, TimeUnit.SECONDS));
      CompletableFuture<Boolean> otherHash = passwords.matches("u",
          "$2a$10$abcdefghijklmnopqrstuu0123456789012345678901234567890", "secret");
      assertEquals(false, otherHash.get(30, TimeUnit.SECONDS));
      // the hash Debian's etcd 3.4 stored for "rootpw" (read from its WAL) checks the same here
      String etcds = "$2a$10$8xxTjZePUkUPQpxu4HR85OWGXel5tE0JLkxxVT/X9OdUMcESQClJm";
      assertTrue(passwords.matches("v", etcds, "rootpw").get(30, TimeUnit.SECONDS));
      assertEquals(false, passwords.matches("w", etcds, "rootpx").get(30, TimeUnit.SECONDS));
      // Go hashes a password's UTF-8 bytes: one it hashed checks here, and ours back
      String unicode = "p\u00e4ssw\u00f6rd\u2713";
      assertTrue(passwords.matches("x",
          "$2a$10$Ik2xCmlyF8HHJAPd7X4doe/eTTHcy/BFG2neXuHsZyqJuVqcNibPi", unicode)
          .get(30, TimeUnit.SECONDS));
      String ours = CompletableFuture.supplyAsync(() -> passwords.hash(unicode),
          passwords.worker()).get(30, TimeUnit.SECONDS);
      assertTrue(passwords.matches("y", ours, unicode).get(30, TimeUnit.SECONDS));
      assertEquals(false, passwords.matches("z", ours, "passw\u00f6rd\u2713")
          .get(30, TimeUnit.SECONDS));
    } finally {
      passwords.close();
    }
  }
}
