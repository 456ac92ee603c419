package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy in a TLS cluster, as etcd's: it serves https:// with --cert-file/--key-file, asks its
 * clients for certificates of --trusted-ca-file, and reaches members whose client URLs are https
 * with the same certificate, checking theirs against the same CA.
 */
class ProxyTlsTest {
  @TempDir
  Path tmp;

  @Test
  void anHttpsProxyRelaysToAnHttpsMemberThatWantsClientCertificates() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(tmp.resolve("certs")));
    SSLContext client = certs.clientContext("ca", "client");
    List<String> tls = List.of("--cert-file", certs.path("member.pem"), "--key-file",
        certs.path("member.key"), "--trusted-ca-file", certs.path("ca.pem"), "--client-cert-auth");
    try (ServerProcess member = new ServerProcess("a", tmp.resolve("a"), "https", "http", tls, client)
            .start()) {
      String initial = "--initial-cluster=a=" + member.peerUrl();
      String secure = "https://127.0.0.1:" + LoopbackPorts.next();
      String plain = "http://127.0.0.1:" + LoopbackPorts.next();
      List<String> proxyFlags = new java.util.ArrayList<>(tls);
      proxyFlags.add(initial);
      try (ProxyProcess https = ProxyProcess.launch(Files.createDirectories(tmp.resolve("https")), secure,
              "on", proxyFlags);
          ProxyProcess http = ProxyProcess.launch(Files.createDirectories(tmp.resolve("http")), plain,
              "on", proxyFlags)) {
        HttpClient withCert = HttpClient.newBuilder().sslContext(client).build();
        assertEquals(201, await(withCert, secure, "PUT", "/v2/keys/tls/proxy", "value=1").statusCode());
        HttpResponse<String> read = await(withCert, secure, "GET", "/v2/keys/tls/proxy", null);
        assertTrue(read.body().contains("\"value\":\"1\""), read.body());

        // A client without a certificate is refused by the proxy itself, as by the member.
        HttpClient noCert = HttpClient.newBuilder().sslContext(certs.clientContext("ca", null)).build();
        assertThrows(IOException.class, () -> noCert.send(HttpRequest.newBuilder(
            URI.create(secure + "/version")).build(), HttpResponse.BodyHandlers.ofString()));

        // A plain listener in front of the same https member: TLS towards the member only.
        HttpResponse<String> plainRead = await(HttpClient.newHttpClient(), plain, "GET", "/v2/keys/tls/proxy", null);
        assertTrue(plainRead.body().contains("\"value\":\"1\""), plainRead.body());
      }
    }
  }

  @Test
  void aProxyAsksMembersWithHttpsPeerUrlsForTheMemberListWithThePeerTlsFlags() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(tmp.resolve("certs")));
    List<String> peerTls = List.of("--peer-cert-file", certs.path("member.pem"), "--peer-key-file",
        certs.path("member.key"), "--peer-trusted-ca-file", certs.path("ca.pem"),
        "--peer-client-cert-auth");
    try (ServerProcess member = new ServerProcess("a", tmp.resolve("a"), "http", "https", peerTls, null)
            .start()) {
      String plain = "http://127.0.0.1:" + LoopbackPorts.next();
      List<String> proxyFlags = new java.util.ArrayList<>(peerTls.subList(0, 6));
      proxyFlags.add("--initial-cluster=a=" + member.peerUrl());
      writeAndReadThroughAProxy(plain, proxyFlags, "/v2/keys/tls/peers");
    }
  }

  @Test
  void withoutClientCertificateFlagsAProxyReachesHttpsMembersWithItsPeerTlsFlags() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(tmp.resolve("certs")));
    SSLContext client = certs.clientContext("ca", "client");
    List<String> tls = List.of("--cert-file", certs.path("member.pem"), "--key-file",
        certs.path("member.key"), "--trusted-ca-file", certs.path("ca.pem"), "--client-cert-auth");
    try (ServerProcess member = new ServerProcess("a", tmp.resolve("a"), "https", "http", tls, client)
            .start()) {
      String plain = "http://127.0.0.1:" + LoopbackPorts.next();
      // as etcd's proxy: no --cert-file/--key-file, so the peer TLS flags serve towards members
      List<String> proxyFlags = List.of("--peer-cert-file", certs.path("member.pem"),
          "--peer-key-file", certs.path("member.key"), "--peer-trusted-ca-file", certs.path("ca.pem"),
          "--initial-cluster=a=" + member.peerUrl());
      writeAndReadThroughAProxy(plain, proxyFlags, "/v2/keys/tls/fallback");
    }
  }

  @Test
  void aProxyWithAutoTlsReachesAMemberWithAutoTlsAsEtcdsDoes() throws Exception {
    // the health poll cannot know the member's certificate before the member makes it
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
    List<String> auto = List.of("--auto-tls", "--peer-auto-tls");
    try (ServerProcess member = new ServerProcess("a", tmp.resolve("a"), "https", "https", auto,
        trustAll).start()) {
      String plain = "http://127.0.0.1:" + LoopbackPorts.next();
      List<String> proxyFlags = new java.util.ArrayList<>(auto);
      proxyFlags.add("--initial-cluster=a=" + member.peerUrl());
      try (ProxyProcess proxy = ProxyProcess.launch(Files.createDirectories(tmp.resolve("proxy")),
          plain, "on", proxyFlags)) {
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(201, await(http, plain, "PUT", "/v2/keys/tls/auto", "value=1").statusCode());
      }
    }
  }

  /** Starts a proxy on plain with flags, writes key through it and reads it back. */
  private void writeAndReadThroughAProxy(String plain, List<String> flags, String key)
      throws Exception {
    try (ProxyProcess proxy = ProxyProcess.launch(Files.createDirectories(tmp.resolve("proxy")),
        plain, "on", flags)) {
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(201, await(http, plain, "PUT", key, "value=1").statusCode());
      HttpResponse<String> read = await(http, plain, "GET", key, null);
      assertTrue(read.body().contains("\"value\":\"1\""), read.body());
    }
  }

  /** The answer through the proxy once it relays (it learns the member within seconds). */
  private static HttpResponse<String> await(HttpClient http, String base, String method, String path,
      String form) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(10));
      if (form != null) {
        request.header("Content-Type", "application/x-www-form-urlencoded")
            .method(method, HttpRequest.BodyPublishers.ofString(form));
      }
      try {
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 503 && answer.statusCode() != 502) return answer;
      } catch (IOException notYet) {
        // not listening yet
      }
      if (Instant.now().isAfter(deadline)) throw new AssertionError("the proxy at " + base + " never relayed");
      Thread.sleep(100);
    }
  }
}
