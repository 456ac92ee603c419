package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v2 auth, ours beside Debian's etcd: the same requests (users, roles, turning auth on and off,
 * then keys, members and auth calls as the guest, as users with and without the rights, with a
 * wrong password or an unknown user) get the same answers: status, headers, body. Only the
 * store indexes in key bodies are left out: etcd's auth records are store writes and take
 * indexes of their own, ours are not keys.
 */
class AuthApiTest {
  @TempDir
  Path tmp;

  private static String request(String method, String path, String json, String user) {
    StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (user != null) {
      r.append("Authorization: Basic ").append(Base64.getEncoder()
          .encodeToString(user.getBytes(StandardCharsets.UTF_8))).append("\r\n");
    }
    if (json != null) {
      r.append("Content-Type: application/json\r\nContent-Length: ")
          .append(json.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(json);
    } else {
      r.append("\r\n");
    }
    return r.toString();
  }

  /** The sequence, in order: each builds on the state the ones before it left. */
  private static List<String> script() {
    List<String> s = new ArrayList<>();
    s.add(request("GET", "/v2/auth/users", null, null));
    s.add(request("GET", "/v2/auth/roles", null, null));
    s.add(request("GET", "/v2/auth/enable", null, null));
    s.add(request("PUT", "/v2/auth/enable", null, null)); // no root user yet
    s.add(request("PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"rootpw\"}", null));
    s.add(request("PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"rootpw\"}", null));
    s.add(request("GET", "/v2/auth/users/root", null, null));
    s.add(request("PUT", "/v2/auth/users/alice",
        "{\"user\":\"alice\",\"password\":\"a\",\"roles\":[\"reader\"]}", null));
    s.add(request("PUT", "/v2/auth/users/bob", "{\"user\":\"bob\",\"password\":\"b\"}", null));
    s.add(request("PUT", "/v2/auth/users/carl", "{\"user\":\"carl\"}", null));
    s.add(request("PUT", "/v2/auth/users/x", "{\"user\":\"y\",\"password\":\"b\"}", null));
    s.add(request("PUT", "/v2/auth/users/x", "notjson", null));
    s.add(request("PUT", "/v2/auth/users/x", "{\"user\":7}", null));
    s.add(request("PUT", "/v2/auth/users/x", "", null));
    s.add(request("GET", "/v2/auth/users", null, null));
    s.add(request("GET", "/v2/auth/users/alice", null, null)); // her role does not exist yet
    s.add(request("PUT", "/v2/auth/roles/reader",
        "{\"role\":\"reader\",\"permissions\":{\"kv\":{\"read\":[\"/app/*\"]}}}", null));
    s.add(request("PUT", "/v2/auth/roles/reader",
        "{\"role\":\"reader\",\"permissions\":{\"kv\":{\"read\":[\"/app/*\"]}}}", null));
    s.add(request("PUT", "/v2/auth/roles/root", "{\"role\":\"root\"}", null));
    s.add(request("PUT", "/v2/auth/roles/empty", "{\"ROLE\":\"empty\"}", null));
    s.add(request("PUT", "/v2/auth/roles/nul", "{\"role\":\"nul\",\"permissions\":null}", null));
    s.add(request("PUT", "/v2/auth/roles/nokv", "{\"role\":\"nokv\",\"permissions\":{\"kv\":null},"
        + "\"grant\":null,\"extra\":[1]}", null));
    s.add(request("PUT", "/v2/auth/roles/%C3%BC", "{\"role\":\"\\u00fc\"}", null));
    s.add(request("GET", "/v2/auth/roles", null, null));
    s.add(request("DELETE", "/v2/auth/roles/nul", null, null));
    s.add(request("DELETE", "/v2/auth/roles/nokv", null, null));
    s.add(request("GET", "/v2/auth/users/alice", null, null));
    s.add(request("GET", "/v2/auth/roles", null, null));
    s.add(request("GET", "/v2/auth/roles/", null, null));
    s.add(request("PUT", "/v2/auth/roles/reader",
        "{\"role\":\"reader\",\"grant\":{\"kv\":{\"write\":[\"/app/w\"]}}}", null));
    s.add(request("PUT", "/v2/auth/roles/reader",
        "{\"role\":\"reader\",\"grant\":{\"kv\":{\"write\":[\"/app/w\"]}}}", null));
    s.add(request("PUT", "/v2/auth/roles/reader",
        "{\"role\":\"reader\",\"revoke\":{\"kv\":{\"write\":[\"/nothing\"]}}}", null));
    s.add(request("PUT", "/v2/auth/roles/reader", "{\"role\":\"reader\",\"revoke\":{\"kv\":"
        + "{\"read\":[\"/app/*\"]}},\"permissions\":{\"kv\":{\"read\":[\"/x\"]}}}", null));
    s.add(request("PUT", "/v2/auth/roles/nobody",
        "{\"role\":\"nobody\",\"grant\":{\"kv\":{\"read\":[\"/a\"]}}}", null));
    s.add(request("PUT", "/v2/auth/users/bob", "{\"user\":\"bob\",\"grant\":[\"reader\"]}", null));
    s.add(request("PUT", "/v2/auth/users/bob", "{\"user\":\"bob\",\"grant\":[\"reader\"]}", null));
    s.add(request("PUT", "/v2/auth/users/bob", "{\"user\":\"bob\",\"revoke\":[\"nope\"]}", null));
    s.add(request("PUT", "/v2/auth/users/bob", "{\"user\":\"bob\",\"grant\":[\"ghost\"]}", null));
    s.add(request("GET", "/v2/auth/users/bob", null, null));
    s.add(request("PUT", "/v2/auth/users/bob", "{\"user\":\"bob\",\"revoke\":[\"ghost\"]}", null));
    s.add(request("PUT", "/v2/auth/users/bob", "{\"user\":\"bob\",\"password\":\"b2\"}", null));
    s.add(request("PUT", "/v2/auth/users/bob", "{\"user\":\"bob\"}", null));
    s.add(request("PUT", "/v2/auth/users/bob",
        "{\"user\":\"bob\",\"roles\":[\"x\"],\"grant\":[\"reader\"]}", null));
    s.add(request("PUT", "/v2/auth/users/nobody", "{\"user\":\"nobody\",\"grant\":[\"x\"]}", null));
    s.add(request("GET", "/v2/auth/users/nobody", null, null));
    s.add(request("DELETE", "/v2/auth/users/nobody", null, null));
    s.add(request("DELETE", "/v2/auth/roles/nobody", null, null));
    s.add(request("DELETE", "/v2/auth/roles/root", null, null));
    s.add(request("DELETE", "/v2/auth/roles/empty", null, null));
    s.add(request("POST", "/v2/auth/users/bob", "{}", null));
    s.add(request("HEAD", "/v2/auth/users", null, null));
    s.add(request("GET", "/v2/auth/users/a/b", null, null));
    s.add(request("GET", "/v2/auth/users/bob/", null, null));
    s.add(request("GET", "/v2/auth/enable/", null, null));
    s.add(request("PUT", "/v2/keys/app/a?value=1", null, null));
    // on: anyone may turn it on while it is off
    s.add(request("PUT", "/v2/auth/enable", null, null));
    s.add(request("GET", "/v2/auth/enable", null, null));
    s.add(request("PUT", "/v2/auth/enable", null, "root:rootpw"));
    s.add(request("GET", "/v2/auth/roles/guest", null, "root:rootpw"));
    s.add(request("GET", "/v2/auth/users", null, null));
    s.add(request("GET", "/v2/auth/users", null, "root:wrong"));
    s.add(request("GET", "/v2/auth/users", null, "bob:b2"));
    s.add(request("GET", "/v2/auth/users", null, "root:rootpw"));
    s.add(request("DELETE", "/v2/auth/users/root", null, "root:rootpw"));
    // the guest role made by enable lets anyone at keys, but "/*" does not match "" (/v2/keys)
    s.add(request("GET", "/v2/keys/app", null, null));
    s.add(request("GET", "/v2/keys", null, null));
    s.add(request("PUT", "/v2/keys/app/g?value=1", null, null));
    s.add(request("PUT", "/v2/auth/roles/guest", "{\"role\":\"guest\",\"revoke\":{\"kv\":"
        + "{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}", "root:rootpw"));
    s.add(request("GET", "/v2/keys/app", null, null));
    s.add(request("PUT", "/v2/keys/app/g?value=1", null, null));
    s.add(request("GET", "/v2/keys/app?wait=true", null, null));
    s.add(request("GET", "/v2/keys/app", null, "bob:b2"));
    s.add(request("GET", "/v2/keys/app/a", null, "bob:b2"));
    s.add(request("HEAD", "/v2/keys/app/a", null, "bob:b2"));
    s.add(request("GET", "/v2/keys/app?recursive=true", null, "bob:b2"));
    s.add(request("GET", "/v2/keys/app/?recursive=true&sorted=true", null, "bob:b2"));
    s.add(request("PUT", "/v2/keys/app/w?value=2", null, "bob:b2"));
    s.add(request("PUT", "/v2/keys/app/a?value=2", null, "bob:b2"));
    s.add(request("PUT", "/v2/keys/app/a?value=2", null, "bob:wrong"));
    s.add(request("PUT", "/v2/keys/app/a?value=2", null, "nobody:x"));
    s.add(request("PUT", "/v2/keys/app/a?value=2", null, "root:rootpw"));
    s.add(request("GET", "/v2/keys/app?recursive=true&sorted=true", null, "root:rootpw"));
    s.add(request("GET", "/v2/keys/app/a", null, "bob"));
    s.add(request("GET", "/v2/keys/app/a", null, ""));
    s.add(request("GET", "/v2/keys/app/a?ttl=x", null, "nobody:x")); // parsed before checked
    s.add("GET /v2/keys/app/a HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\n\r\n");
    s.add("GET /v2/keys/app/a HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: basic "
        + Base64.getEncoder().encodeToString("bob:b2".getBytes(StandardCharsets.UTF_8))
        + "\r\n\r\n");
    s.add(request("POST", "/v2/members", "{\"peerURLs\":[\"http://127.0.0.1:1\"]}", "bob:b2"));
    s.add(request("DELETE", "/v2/members/1234", null, null));
    s.add(request("GET", "/v2/stats/store", null, null).replace("GET /v2/stats/store",
        "GET /version"));
    s.add(request("DELETE", "/v2/auth/enable", null, "bob:b2"));
    s.add(request("DELETE", "/v2/auth/enable", null, "root:rootpw"));
    s.add(request("DELETE", "/v2/auth/enable", null, "root:rootpw"));
    s.add(request("DELETE", "/v2/auth/users/bob", null, null));
    s.add(request("DELETE", "/v2/auth/roles/reader", null, null));
    s.add(request("GET", "/v2/auth/users/alice", null, null));
    s.add(request("GET", "/v2/auth/users", null, null));
    s.add(request("DELETE", "/v2/auth/users/root", null, null)); // allowed while off
    return s;
  }

  private static String withoutIndexes(String answer) {
    if (!answer.contains("x-etcd-index")) return answer; // a key answer, HEAD too
    return answer.replaceAll("\"(modifiedIndex|createdIndex)\":[0-9]+", "\"$1\":N")
        .replaceAll("content-length: [0-9]+", "content-length: L");
  }

  @Test
  void authCallsAndChecksAreAnsweredAsEtcdAnswersThem() throws Exception {
    String theirs = "http://127.0.0.1:" + LoopbackPorts.next();
    String peer = "http://127.0.0.1:" + LoopbackPorts.next();
    List<String> theirFlags = List.of("--enable-v2=true", "--name", "e",
        "--data-dir", tmp.resolve("e").toString(), "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer, "--initial-cluster", "e=" + peer);
    try (ServerProcess ours = new ServerProcess(tmp.resolve("n1"), List.of()).start();
        DebianEtcd etcd = DebianEtcd.start(tmp.resolve("e.log"), theirs, theirFlags)) {
      List<String> answers = new ArrayList<>();
      for (String request : script()) {
        String expected = withoutIndexes(RawExchanges.converse(theirs, List.of(request), true)
            .get(0));
        String actual = withoutIndexes(RawExchanges.converse(ours.clientUrl(), List.of(request),
            true).get(0));
        assertEquals(expected, actual, "answered alike: " + request);
        answers.add(actual);
      }
      // what the comparison rests on, stated: the checks refused and allowed, both
      List<String> requests = script();
      String bobWritesW = request("PUT", "/v2/keys/app/w?value=2", null, "bob:b2");
      String bobWritesA = request("PUT", "/v2/keys/app/a?value=2", null, "bob:b2");
      assertTrue(answers.get(requests.indexOf(bobWritesW)).startsWith("HTTP/1.1 201"));
      String refused = answers.get(requests.indexOf(bobWritesA));
      assertTrue(refused.startsWith("HTTP/1.1 401") && refused.contains("\"errorCode\":110"),
          refused);
      assertTrue(answers.stream().filter(a -> a.startsWith("HTTP/1.1 401")).count() >= 15);
    }
  }
}
