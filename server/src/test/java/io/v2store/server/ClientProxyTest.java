package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --proxy on: a process that is no member relays clients to the members it finds through the
 * initial cluster's peer URLs, ours or etcd's.
 */
class ClientProxyTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();

  @TempDir
  Path tmp;

  @Test
  void relaysWritesReadsAndWatchesAndPassesOverAMemberThatIsGone() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try {
      String initial = ServerProcess.startCluster(tmp, List.of("a", "b", "c"), all);
      try (ProxyProcess proxy = start(initial)) {
        String url = proxy.url;
        assertEquals(201, put(url + "/v2/keys/via/proxy", "value=1").statusCode());
        CompletableFuture<HttpResponse<String>> watch = http.sendAsync(HttpRequest.newBuilder(
            URI.create(url + "/v2/keys/via/proxy?wait=true&waitIndex=" + (index(url) + 1))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put(url + "/v2/keys/via/proxy", "value=2").statusCode());
        HttpResponse<String> event = watch.get(30, TimeUnit.SECONDS);
        assertTrue(event.body().contains("\"value\":\"2\""), event.body());
        for (ServerProcess member : all) {
          String body = Http.get(member, "/v2/keys/via/proxy?quorum=true").body();
          assertTrue(body.contains("\"value\":\"2\""), member.name() + ": " + body);
        }

        // A member gone: each new connection that would have gone to it goes to the next.
        all.get(0).kill9();
        for (int i = 0; i < 6; i++) {
          HttpResponse<String> read = proxy.get("/v2/keys/via/proxy");
          assertEquals(200, read.statusCode(), read.body());
        }
      }
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }

  @Test
  void relaysToEtcd() throws Exception {
    try (DebianEtcd etcd = DebianEtcd.member(tmp, "e");
        ProxyProcess proxy = start("e=" + etcd.peerUrl)) {
      String client = etcd.clientUrl;
      assertEquals(201, put(proxy.url + "/v2/keys/to/etcd", "value=v").statusCode());
      HttpResponse<String> direct = http.send(HttpRequest.newBuilder(
          URI.create(client + "/v2/keys/to/etcd")).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(direct.body().contains("\"value\":\"v\""), direct.body());
    }
  }

  /**
   * Started before any member, with a long refresh interval: it looks again every second until it
   * has a member list, so the member is reachable through it at once, not 10 minutes later. With
   * no member to take a request it answers as etcd's proxy does.
   */
  @Test
  void aProxyStartedBeforeItsMembersFindsThemWhenTheyCome() throws Exception {
    try (ServerProcess member = new ServerProcess("a", tmp.resolve("a"), List.of());
        ProxyProcess proxy = ProxyProcess.launch(tmp, "http://127.0.0.1:" + ServerProcess.freePort(),
            List.of("--initial-cluster", "a=" + member.peerUrl(),
                "--proxy-refresh-interval", "600000", "--proxy-failure-wait", "600000"))) {
      // It listens and answers 503 while it knows no member.
      HttpResponse<String> none = proxy.get("/version");
      assertEquals(503, none.statusCode());
      assertEquals("{\"message\":\"httpproxy: zero endpoints currently available\"}", none.body());
      assertEquals("application/json", none.headers().firstValue("Content-Type").orElse(""));
      member.start("a=" + member.peerUrl(), "new");
      HttpResponse<String> answer = proxy.get("/version");
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (answer.statusCode() != 200 && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
        answer = proxy.get("/version");
      }
      assertEquals(200, answer.statusCode(), answer.body());

      // The member gone: the request that finds it so is a 502, the next ones (it is passed over
      // for the failure wait) 503s, as from etcd's proxy.
      member.kill9();
      HttpResponse<String> failed = proxy.get("/version");
      assertEquals(502, failed.statusCode(), failed.body());
      assertEquals("{\"message\":\"httpproxy: unable to get response from 1 endpoint(s)\"}", failed.body());
      assertEquals(503, proxy.get("/version").statusCode());
    }
  }

  private ProxyProcess start(String initialCluster) throws Exception {
    return ProxyProcess.launch(tmp, "http://127.0.0.1:" + ServerProcess.freePort(),
        List.of("--initial-cluster", initialCluster)).awaitServing();
  }

  private HttpResponse<String> put(String url, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private long index(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + "/v2/keys/via/proxy")).build(),
        HttpResponse.BodyHandlers.ofString()).headers().firstValueAsLong("X-Etcd-Index").orElseThrow();
  }
}
