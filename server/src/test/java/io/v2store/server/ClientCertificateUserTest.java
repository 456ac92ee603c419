package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.v2store.testkit.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With --client-cert-auth and v2 auth on, a request without an Authorization header is made by
 * the user its certificate's common name names (the guest when there is none), one with the
 * header by the user it names: ours beside Debian's etcd, the same certificates and requests,
 * the same answers.
 */
class ClientCertificateUserTest {
  private static final String CLIENT = "extendedKeyUsage=clientAuth\n";

  @TempDir
  Path tmp;

  private record Call(String cert, String user, String method, String path, String json) {}

  private static List<Call> setUp() {
    List<Call> c = new ArrayList<>();
    c.add(new Call("client", null, "PUT", "/v2/auth/users/root",
        "{\"user\":\"root\",\"password\":\"rootpw\"}"));
    c.add(new Call("client", null, "PUT", "/v2/auth/roles/app",
        "{\"role\":\"app\",\"permissions\":{\"kv\":{\"read\":[\"/app/*\"],\"write\":[\"/app/*\"]}}}"));
    c.add(new Call("client", null, "PUT", "/v2/auth/users/alice",
        "{\"user\":\"alice\",\"password\":\"unused\",\"roles\":[\"app\"]}"));
    c.add(new Call("client", null, "PUT", "/v2/auth/enable", null));
    c.add(new Call("root", null, "PUT", "/v2/auth/roles/guest",
        "{\"role\":\"guest\",\"revoke\":{\"kv\":{\"write\":[\"/*\"]}}}"));
    return c;
  }

  private static List<Call> checks() {
    List<Call> c = new ArrayList<>();
    c.add(new Call("alice", null, "PUT", "/v2/keys/app/x?value=1", null)); // alice by her CN
    c.add(new Call("alice", null, "PUT", "/v2/keys/other?value=1", null)); // not her prefix
    c.add(new Call("client", null, "PUT", "/v2/keys/app/y?value=1", null)); // no such user: guest
    c.add(new Call("client", null, "GET", "/v2/keys/app/x", null)); // the guest may read
    c.add(new Call("alice", "root:rootpw", "PUT", "/v2/keys/other?value=2", null)); // the header wins
    c.add(new Call("alice", "root:wrong", "GET", "/v2/keys/app/x", null));
    c.add(new Call("alice", null, "GET", "/v2/auth/users", null)); // not root
    c.add(new Call("root", null, "GET", "/v2/auth/users", null)); // root by its CN
    c.add(new Call("client", null, "GET", "/v2/auth/users", null));
    c.add(new Call("root", null, "POST", "/v2/members", "{\"peerURLs\":[]}"));
    c.add(new Call("client", null, "POST", "/v2/members", "{\"peerURLs\":[]}"));
    return c;
  }

  private static List<String> run(TestCertificates certs, String url, List<Call> calls)
      throws Exception {
    List<String> answers = new ArrayList<>();
    for (Call call : calls) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(certs.clientContext("ca", call.cert())).connectTimeout(Duration.ofSeconds(5))
          .build();
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + call.path()))
          .timeout(Duration.ofSeconds(20)).method(call.method(), call.json() == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(call.json()));
      if (call.json() != null) b.header("Content-Type", "application/json");
      if (call.user() != null) {
        b.header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString(call.user().getBytes(StandardCharsets.UTF_8)));
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      String body = r.body().replaceAll("\"(modifiedIndex|createdIndex)\":[0-9]+", "\"$1\":N");
      answers.add(call + " -> " + r.statusCode() + " " + body);
    }
    return answers;
  }

  @Test
  void aCertificatesCommonNameIsTheUserWhenNoCredentialsAreGiven() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(tmp.resolve("c")));
    certs.signed("alice", "ca", CLIENT, "rsa:2048");
    certs.signed("root", "ca", CLIENT, "rsa:2048");
    List<String> flags = List.of("--cert-file", certs.path("member.pem"),
        "--key-file", certs.path("member.key"), "--trusted-ca-file", certs.path("ca.pem"),
        "--client-cert-auth");
    String theirs = "https://127.0.0.1:" + LoopbackPorts.next();
    String theirPlain = "http://127.0.0.1:" + LoopbackPorts.next();
    String peer = "http://127.0.0.1:" + LoopbackPorts.next();
    List<String> theirFlags = new ArrayList<>(List.of("--enable-v2=true", "--name", "e",
        "--data-dir", tmp.resolve("e").toString(), "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer, "--initial-cluster", "e=" + peer,
        "--listen-client-urls", theirPlain + "," + theirs));
    theirFlags.addAll(flags);
    try (ServerProcess ours = new ServerProcess("n1", tmp.resolve("n1"), "https", "http", flags,
            certs.clientContext("ca", "client")).start();
        DebianEtcd etcd = DebianEtcd.start(tmp.resolve("e.log"), theirPlain, theirFlags)) {
      assertEquals(run(certs, theirs, setUp()), run(certs, ours.clientUrl(), setUp()), "set-up");
      List<String> expected = run(certs, theirs, checks());
      assertEquals(expected, run(certs, ours.clientUrl(), checks()));
      // stated, so that two servers letting everything through could not pass
      assertEquals(List.of(201, 401, 401, 200, 201, 401, 401, 200, 401),
          expected.subList(0, 9).stream()
              .map(a -> Integer.parseInt(a.split(" -> ")[1].substring(0, 3))).toList());
    }
  }
}
