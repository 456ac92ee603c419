package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --import-from: a new member starts from the keys of Debian's etcd, read over its v2 API:
 * the same listing (values, directories, indexes, expirations) and the same X-Etcd-Index, so a
 * client that watches from the index it last saw goes on as if nothing had moved; a watch for
 * an index before the import is answered 401 (read again); TTLs keep running; a restart keeps
 * it all without the old cluster. Hidden directories come too: fleet's by default, others when
 * named.
 */
class ImportFromEtcdTest {
  private static final int DEEP_LEVELS = 2_000;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path tmp;

  private static HttpResponse<String> send(String base, String method, String pathAndQuery)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String listing(HttpResponse<String> r) {
    return r.body().replaceAll("\"ttl\":[0-9]+", "\"ttl\":T");
  }

  private static String index(HttpResponse<String> r) {
    return r.headers().firstValue("X-Etcd-Index").orElse("none");
  }

  @Test
  void aNewMemberStartsFromEtcdsKeysAndIndex() throws Exception {
    String theirs = "http://127.0.0.1:" + LoopbackPorts.next();
    String peer = "http://127.0.0.1:" + LoopbackPorts.next();
    HttpResponse<String> before;
    try (DebianEtcd etcd = DebianEtcd.start(tmp.resolve("e.log"), theirs,
        List.of("--enable-v2=true", "--name", "e", "--data-dir", tmp.resolve("e").toString(),
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "e=" + peer))) {
      for (String write : List.of("/app/server/5000?value=10.0.0.7:5000&ttl=300",
          "/app/server/5001?value=10.0.0.8:5001", "/app/config?value=%7B%22a%22%3A%22%3C%C3%BC%3E%22%7D",
          "/empty?dir=true", "/leases?dir=true&ttl=300", "/gone?value=x",
          "/app/server/5001?value=10.0.0.9:5001", "/_coreos.com/fleet/job/a.service/object?value=u",
          "/_mine/x?value=1", "/app/_unlisted?value=2",
          // as deep as etcd takes a key (its request line stops near 4 KiB): Jackson's parser
          // stopped at 500 levels of keys, and the import read a frame per level
          "/deep" + "/d".repeat(DEEP_LEVELS - 1) + "?value=bottom")) {
        assertTrue(send(theirs, "PUT", "/v2/keys" + write).statusCode() / 100 == 2, write);
      }
      assertEquals(200, send(theirs, "DELETE", "/v2/keys/gone").statusCode());
      // a key written through the v3 API (Debian's etcdctl speaks v3 by default): not in any v2
      // listing, so not imported, and the import says so
      HttpResponse<String> v3 = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(theirs + "/v3/kv/put"))
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                  "{\"key\":\"djNrZXk=\",\"value\":\"djM=\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, v3.statusCode(), v3.body());
      before = send(theirs, "GET", "/v2/keys/?recursive=true&sorted=true");

      try (ServerProcess ours = new ServerProcess(tmp.resolve("n1"),
          List.of("--import-from", theirs + "," + theirs + "/v2/keys/_mine")).start()) {
        String url = ours.clientUrl();
        HttpResponse<String> after = send(url, "GET", "/v2/keys/?recursive=true&sorted=true");
        assertEquals(listing(before), listing(after));
        assertEquals(index(before), index(after));
        for (String hidden : List.of("/v2/keys/_coreos.com?recursive=true&sorted=true",
            "/v2/keys/_mine?recursive=true")) {
          assertEquals(send(theirs, "GET", hidden).body(), send(url, "GET", hidden).body());
        }
        assertEquals(404, send(url, "GET", "/v2/keys/app/_unlisted").statusCode(),
            "a hidden key nobody named cannot be found, so it is not copied");
        assertTrue(ours.log().contains("imported " + (14 + DEEP_LEVELS) + " nodes from " + theirs),
            ours::logTail);
        assertTrue(ours.log().contains("import: " + theirs + " also holds 1 keys written through"
            + " etcd's v3 API"), ours::logTail);

        long last = Long.parseLong(index(after));
        HttpResponse<String> stale = send(url, "GET",
            "/v2/keys/app?wait=true&recursive=true&waitIndex=" + last);
        assertEquals(400, stale.statusCode(), stale.body());
        assertTrue(stale.body().contains("\"errorCode\":401"), stale.body());
        HttpResponse<String> next = send(url, "PUT", "/v2/keys/app/server/5002?value=v");
        assertTrue(next.body().contains("\"modifiedIndex\":" + (last + 1)), next.body());
        HttpResponse<String> watched = send(url, "GET",
            "/v2/keys/app?wait=true&recursive=true&waitIndex=" + (last + 1));
        assertEquals(next.body(), watched.body(), "the first write after the import");
        String now = listing(send(url, "GET", "/v2/keys/?recursive=true&sorted=true"));

        ours.kill9();
        etcd.close(); // the old cluster is gone: a restart must not need it
        ours.start();
        assertEquals(now, listing(send(url, "GET", "/v2/keys/?recursive=true&sorted=true")));
        HttpResponse<String> ttl = send(url, "GET", "/v2/keys/app/server/5000");
        assertTrue(ttl.body().matches("(?s).*\"ttl\":(2[0-9][0-9]|300),.*"), ttl.body());
        assertTrue(ours.log().contains("--import-from ignored"), ours::logTail);
      }
    }
  }

  /**
   * An old cluster with v2 auth on, where the guest may read nothing: without credentials the
   * start fails and leaves the data dir as it was, with user:password in the URL it works, and
   * so does a listing saved by curl -si.
   */
  @Test
  void anOldClusterWithAuthIsReadWithCredentialsOrFromASavedAnswer() throws Exception {
    String theirs = "http://127.0.0.1:" + LoopbackPorts.next();
    String peer = "http://127.0.0.1:" + LoopbackPorts.next();
    try (DebianEtcd etcd = DebianEtcd.start(tmp.resolve("e.log"), theirs,
        List.of("--enable-v2=true", "--name", "e", "--data-dir", tmp.resolve("e").toString(),
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "e=" + peer))) {
      assertEquals(201, send(theirs, "PUT", "/v2/keys/app/k?value=v&ttl=600").statusCode());
      HttpResponse<String> before = send(theirs, "GET", "/v2/keys/?recursive=true&sorted=true");
      HTTP.send(HttpRequest.newBuilder(URI.create(theirs + "/v2/auth/users/root"))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"user\":\"root\",\"password\":\"p w+\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, send(theirs, "PUT", "/v2/auth/enable").statusCode());
      assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(theirs + "/v2/auth/roles/guest"))
          .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
              "root:p w+".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"role\":\"guest\",\"revoke\":{\"kv\":"
              + "{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());

      ServerProcess refused = new ServerProcess(tmp.resolve("n1"), List.of("--import-from", theirs));
      refused.launch(refused.name() + "=" + refused.peerUrl(), "new");
      assertTrue(refused.awaitExit(Duration.ofSeconds(60)), "started without the keys");
      assertTrue(refused.exitCode() != 0);
      assertTrue(refused.log().contains("answered 401"), refused::logTail);

      String withUser = theirs.replace("http://", "http://root:p%20w+@"); // + is a +
      try (ServerProcess ours = new ServerProcess(tmp.resolve("n1"),
          List.of("--import-from", withUser)).start()) {
        HttpResponse<String> after = send(ours.clientUrl(), "GET",
            "/v2/keys/?recursive=true&sorted=true");
        assertEquals(listing(before), listing(after));
      }

      Path saved = tmp.resolve("keys.http");
      CommandResult curl = CommandResult.run(java.util.Map.of(), List.of("curl", "-sS", "-i", "-u", "root:p w+", "-o",
          saved.toString(), theirs + "/v2/keys/?recursive=true&sorted=true&quorum=true"));
      assertEquals(0, curl.exit(), curl::toString);
      try (ServerProcess fromFile = new ServerProcess(tmp.resolve("n2"),
          List.of("--import-from", saved.toString())).start()) {
        HttpResponse<String> after = send(fromFile.clientUrl(), "GET",
            "/v2/keys/?recursive=true&sorted=true");
        assertEquals(listing(before), listing(after));
        String savedIndex = java.nio.file.Files.readAllLines(saved).stream()
            .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("x-etcd-index:"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        assertEquals(savedIndex, index(after), "the index the saved answer gave");
      }
    }
  }

  /** etcd unreachable: one line that says where the keys were to come from. */
  @Test
  void anOldClusterThatCannotBeReachedStopsTheStartWithOneLine() throws Exception {
    String nobody = "http://127.0.0.1:" + LoopbackPorts.next();
    try (ServerProcess member = new ServerProcess(tmp.resolve("n1"), List.of("--import-from", nobody))) {
      member.launch("n1=" + member.peerUrl(), "new");
      assertTrue(member.awaitExit(Duration.ofSeconds(60)), "still running");
      assertEquals(1, member.exitCode());
      String log = member.log();
      assertTrue(log.contains("n1: cannot start: --import-from: cannot read the keys: GET "
          + nobody + "/v2/keys/?recursive=true&sorted=true&quorum=true: cannot connect"), log);
      assertFalse(log.contains("\tat "), "a stack trace: " + log);
    }
  }

  /**
   * The way OPERATIONS.md moves a cluster: the importing member starts alone and the others join
   * it at once. They must get the imported keys and the store index from it, and a write after
   * the import must be the same on every member: each joins with nothing but its --initial-cluster,
   * and the log they catch up from does not hold the import.
   */
  @Test
  void membersThatJoinTheImportingMemberGetTheImportedKeys() throws Exception {
    try (ServerProcess old = new ServerProcess("old", tmp.resolve("old"), List.of()).start()) {
      for (String write : List.of("/app/a?value=1", "/app/b?value=2", "/app/b?value=3", "/empty?dir=true")) {
        assertTrue(send(old.clientUrl(), "PUT", "/v2/keys" + write).statusCode() / 100 == 2, write);
      }
      HttpResponse<String> before = send(old.clientUrl(), "GET", "/v2/keys/?recursive=true&sorted=true");
      try (ServerProcess n1 = new ServerProcess("n1", tmp.resolve("n1"),
              List.of("--import-from", old.clientUrl())).start();
          ServerProcess n2 = new ServerProcess("n2", tmp.resolve("n2"), List.of())) {
        old.close(); // writers stopped, the old cluster retired
        HttpResponse<String> added = Http.postJson(n1, "/v2/members",
            "{\"peerURLs\":[\"" + n2.peerUrl() + "\"]}");
        assertEquals(201, added.statusCode(), added.body());
        n2.start("n1=" + n1.peerUrl() + ",n2=" + n2.peerUrl(), "existing");
        HttpResponse<String> write = send(n1.clientUrl(), "PUT", "/v2/keys/app/c?value=4");
        assertEquals(201, write.statusCode(), write.body());
        String expected = listing(send(n1.clientUrl(), "GET", "/v2/keys/?recursive=true&sorted=true"));
        assertTrue(expected.contains("\"/app/b\",\"value\":\"3\""), expected);
        assertTrue(write.body().contains("\"modifiedIndex\":" + (Long.parseLong(index(before)) + 1)),
            write.body());
        HttpResponse<String> joined = send(n2.clientUrl(), "GET",
            "/v2/keys/?recursive=true&sorted=true&quorum=true");
        assertEquals(expected, listing(joined), "the joined member's keys and indexes");
        assertEquals(index(write), index(joined), "the joined member's store index");
      }
    }
  }
}
