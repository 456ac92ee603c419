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

  /**
   * Ours and Debian's etcd's proxy, both in front of one etcd member: the same raw requests, each
   * exchange on one connection, must be answered alike (status, header names, the values of
   * Content-Length, Content-Type and Connection, the body but for its indexes, whether the
   * connection then closes), for HTTP/1.0 and 1.1, chunked bodies, HEAD, a head that does not
   * parse, lines ended by a bare LF, a watch answered at once, and the proxy's own /v2/config/local/proxy.
   */
  @Test
  void answersAsEtcdsProxyDoes() throws Exception {
    try (DebianEtcd etcd = DebianEtcd.member(tmp, "e")) {
      String theirs = "http://127.0.0.1:" + LoopbackPorts.next();
      try (DebianEtcd reference = etcdsProxy(theirs, etcd, List.of());
          ProxyProcess ours = start("e=" + etcd.peerUrl)) {
        // each side under a directory of its own (t, o), named alike in the answers compared
        String form = "Content-Type: application/x-www-form-urlencoded\r\n";
        String get = "GET /v2/keys/D/p HTTP/1.1\r\nHost: x\r\n\r\n";
        List<List<String>> exchanges = List.of(
            List.of("PUT /v2/keys/D/p HTTP/1.1\r\nHost: x\r\n" + form + "Content-Length: 7\r\n\r\nvalue=1", get),
            List.of("PUT /v2/keys/D/p HTTP/1.1\r\nHost: x\r\n" + form + "Transfer-Encoding: chunked\r\n\r\n"
                + "7\r\nvalue=2\r\n0\r\n\r\n", get),
            List.of("HEAD /v2/keys/D/p HTTP/1.1\r\nHost: x\r\n\r\n", get),
            List.of("GET /v2/keys/D/p HTTP/1.0\r\n\r\n"),
            List.of("GET /v2/keys/D/p HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", get),
            List.of("GET /v2/keys/D/nothing HTTP/1.1\r\nHost: x\r\n\r\n", get),
            List.of("DELETE /v2/keys/D/p?prevValue=9 HTTP/1.1\r\nHost: x\r\n\r\n", get),
            List.of("GET /v2/keys/D/p HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            List.of("OPTIONS /v2/keys/D/p HTTP/1.1\r\nHost: x\r\nOrigin: http://example.com\r\n"
                + "Access-Control-Request-Method: PUT\r\n\r\n", get),
            List.of("NOT A REQUEST\r\n\r\n"),
            // lines ended by a bare LF, as a hand-written request (printf ... | nc) may have them
            List.of("GET /v2/keys/D/p HTTP/1.1\nHost: x\n\n", get),
            // the one path the proxy answers itself: its endpoints (here the one etcd member)
            List.of("GET /v2/config/local/proxy?x=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                "PUT /v2/config/local/proxy HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                "HEAD /v2/config/local/proxy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            List.of("GET /v2/keys/D/p?wait=true&waitIndex=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
        for (List<String> exchange : exchanges) {
          List<String> expected = comparable(RawExchanges.converse(theirs, under("t", exchange), true), "t");
          List<String> actual = comparable(RawExchanges.converse(ours.url, under("o", exchange), true), "o");
          assertEquals(expected, actual, "through each proxy: " + exchange);
        }
        for (String dir : List.of("t", "o")) {
          HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create(etcd.clientUrl
              + "/v2/keys/" + dir + "/p")).build(), HttpResponse.BodyHandlers.ofString());
          assertTrue(direct.body().contains("\"value\":\"2\""), direct.body());
        }
      }
    }
  }

  /**
   * /metrics on the proxy is the proxy's own, as etcd's proxy serves it: after the same requests
   * through both (in front of one etcd member), the same etcd_proxy_* counters with the same labels
   * and values, the handling-time histogram with etcd's buckets, the process's figures, and none
   * of a member's metrics. Under --proxy readonly too, and for any method.
   */
  @Test
  void servesItsOwnMetricsAsEtcdsProxyDoes() throws Exception {
    try (DebianEtcd etcd = DebianEtcd.member(tmp, "e")) {
      String theirs = "http://127.0.0.1:" + LoopbackPorts.next();
      try (DebianEtcd reference = etcdsProxy(theirs, etcd, List.of());
          ProxyProcess ours = start("e=" + etcd.peerUrl)) {
        for (String url : List.of(theirs, ours.url)) {
          assertEquals(201, put(url + "/v2/keys/m/" + (url.equals(theirs) ? "t" : "o"), "value=1").statusCode());
          assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(url + "/v2/keys/m/none")).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode());
          assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url + "/v2/keys/m")).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        String theirMetrics = http.send(HttpRequest.newBuilder(URI.create(theirs + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        HttpResponse<String> ourAnswer = http.send(HttpRequest.newBuilder(URI.create(ours.url + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
            ourAnswer.headers().firstValue("Content-Type").orElse(""));
        String ourMetrics = ourAnswer.body();
        assertEquals(proxyCounters(theirMetrics), proxyCounters(ourMetrics));
        assertTrue(proxyCounters(ourMetrics).containsKey("etcd_proxy_handled_total{code=\"201\",method=\"PUT\"}"),
            ourMetrics);
        // every answered GET in the histogram, in etcd's buckets written as Go writes them
        double gets = proxyCounters(ourMetrics).entrySet().stream()
            .filter(e -> e.getKey().startsWith("etcd_proxy_handled_total") && e.getKey().contains("method=\"GET\""))
            .mapToDouble(java.util.Map.Entry::getValue).sum();
        assertTrue(ourMetrics.contains("etcd_proxy_handling_duration_seconds_bucket{method=\"GET\",le=\"+Inf\"} "
            + (long) gets + "\n"), gets + " GETs: " + ourMetrics);
        for (String le : List.of("0.0005", "0.001", "2.048")) {
          assertTrue(ourMetrics.contains("{method=\"GET\",le=\"" + le + "\"}"), le + ": " + ourMetrics);
          assertTrue(theirMetrics.contains("{method=\"GET\",le=\"" + le + "\"}"), le + ": " + theirMetrics);
        }
        assertTrue(ourMetrics.contains("\nprocess_resident_memory_bytes "), ourMetrics);
        assertFalse(ourMetrics.contains("etcd_server_") || ourMetrics.contains("etcd_disk_"),
            "a member's metrics: " + ourMetrics);
      }
      // readonly: still answered, whatever the method
      try (ProxyProcess readonly = ProxyProcess.launch(tmp, "http://127.0.0.1:" + LoopbackPorts.next(),
          "readonly", List.of("--initial-cluster", "e=" + etcd.peerUrl)).awaitServing()) {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(readonly.url + "/metrics"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, posted.statusCode());
        assertTrue(posted.body().contains("etcd_proxy_requests_total{method=\"GET\"}"), posted.body());
      }
    }
  }

  /** The etcd_proxy_*_total series of a /metrics text and their values (Go prints 1, Java 1.0). */
  private static java.util.Map<String, Double> proxyCounters(String metrics) {
    java.util.Map<String, Double> counters = new java.util.TreeMap<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("etcd_proxy_") && line.contains("_total{")) {
        int space = line.lastIndexOf(' ');
        counters.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return counters;
  }

  /**
   * With --proxy-read-timeout, a long poll that outlasts it ends as through etcd's proxy: 200 and
   * no body (Go's server ends the answer its handler left), on a connection that stays open.
   */
  @Test
  void aLongPollPastTheReadTimeoutEndsAsThroughEtcdsProxy() throws Exception {
    try (DebianEtcd etcd = DebianEtcd.member(tmp, "e")) {
      String theirs = "http://127.0.0.1:" + LoopbackPorts.next();
      List<String> timeout = List.of("--proxy-read-timeout", "500");
      List<String> flags = new ArrayList<>(List.of("--initial-cluster", "e=" + etcd.peerUrl));
      flags.addAll(timeout);
      try (DebianEtcd reference = etcdsProxy(theirs, etcd, timeout);
          ProxyProcess ours = ProxyProcess.launch(tmp, "http://127.0.0.1:" + LoopbackPorts.next(),
              flags).awaitServing()) {
        List<String> exchange = List.of("GET /v2/keys/D/w?wait=true HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v2/keys/D HTTP/1.1\r\nHost: x\r\n\r\n");
        List<String> expected = comparable(RawExchanges.converse(theirs, under("t", exchange), true), "t");
        List<String> actual = comparable(RawExchanges.converse(ours.url, under("o", exchange), true), "o");
        assertEquals(expected, actual, "through each proxy: " + exchange);
        assertTrue(actual.get(0).startsWith("HTTP/1.1 200 OK") && actual.get(0).contains("content-length: 0"),
            actual.toString());
      }
    }
  }

  /** Debian's etcd as a proxy (--proxy on) at url in front of the member, with extra flags. */
  private DebianEtcd etcdsProxy(String url, DebianEtcd member, List<String> extra) throws Exception {
    List<String> flags = new ArrayList<>(List.of("--proxy", "on",
        "--data-dir", tmp.resolve("their-proxy").toString(), "--initial-cluster", "e=" + member.peerUrl));
    flags.addAll(extra);
    return DebianEtcd.start(tmp.resolve("their-proxy.log"), url, flags);
  }

  private static List<String> under(String dir, List<String> requests) {
    return requests.stream().map(r -> r.replace("/v2/keys/D/", "/v2/keys/" + dir + "/")).toList();
  }

  private static List<String> comparable(List<String> answers, String dir) {
    return answers.stream().map(a -> a.replaceAll("(Index\":)\\d+", "$1N")
        .replace("\"/" + dir + "/", "\"/D/")).toList();
  }

  /**
   * A member that takes a request and goes without answering it (one killed mid-request, here a
   * socket that closes on cue): the proxy sends the same request to the next member, as etcd's
   * proxy does, so each client has its answer where a relay of connections would have closed them.
   */
  @Test
  void aRequestAMemberDropsGoesToTheNextMember() throws Exception {
    try (DroppingMember dropping = new DroppingMember(false)) {
      writeBesideAStandIn(dropping, List.of());
      // sent as etcd's proxy sends it: the client's Host kept, the client's address added
      String head = dropping.lastHead();
      assertTrue(head.startsWith("PUT /v2/keys/retried/") && head.contains("\r\nHost: x\r\n")
          && head.contains("\r\nX-Forwarded-For: 127.0.0.1\r\n") && !head.contains("Connection:"), head);
    }
  }

  /**
   * A member that takes a request and hangs: with --proxy-read-timeout, as with etcd's proxy, a
   * read that waits longer fails the round trip and the next member gets the request.
   */
  @Test
  void aMemberThatHangsIsLeftAfterTheReadTimeout() throws Exception {
    try (DroppingMember hanging = new DroppingMember(true)) {
      // The timeout applies to the live member too: its writes must be answered within it, on a
      // loaded machine as well (at 300 ms a write held up by a slow sync was a 502).
      writeBesideAStandIn(hanging, List.of("--proxy-read-timeout", "2000"));
    }
  }

  /**
   * Six writes, each on a connection of its own, through a proxy whose member list (from a
   * stand-in peer) names the stand-in first and a real member second; with a failure wait of
   * 1 ms the stand-in stays first in turn for every other write. Each must be answered 201 and
   * stored, and the stand-in must have taken at least one.
   */
  private void writeBesideAStandIn(DroppingMember standIn, List<String> proxyFlags) throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    com.sun.net.httpserver.HttpServer peer = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    try {
      ServerProcess.startCluster(tmp, List.of("a"), all);
      ServerProcess member = all.get(0);
      String peerUrl = "http://127.0.0.1:" + peer.getAddress().getPort();
      byte[] members = ("[{\"id\":1,\"name\":\"gone\",\"peerURLs\":[\"" + peerUrl + "\"],"
          + "\"clientURLs\":[\"" + standIn.url() + "\"]},{\"id\":2,\"name\":\"a\","
          + "\"peerURLs\":[\"" + peerUrl + "\"],\"clientURLs\":[\"" + member.clientUrl() + "\"]}]")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      peer.createContext("/members", exchange -> {
        exchange.sendResponseHeaders(200, members.length);
        exchange.getResponseBody().write(members);
        exchange.close();
      });
      peer.start();
      List<String> flags = new ArrayList<>(List.of("--initial-cluster", "gone=" + peerUrl,
          "--proxy-failure-wait", "1"));
      flags.addAll(proxyFlags);
      try (ProxyProcess proxy = ProxyProcess.launch(tmp, "http://127.0.0.1:" + LoopbackPorts.next(),
          flags).awaitServing()) {
        int before = standIn.dropped();
        for (int i = 0; i < 6; i++) {
          List<String> answer = RawExchanges.converse(proxy.url, List.of("PUT /v2/keys/retried/" + i
              + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              + "Content-Length: 7\r\nConnection: close\r\n\r\nvalue=" + i), false);
          assertTrue(answer.get(0).startsWith("HTTP/1.1 201 Created"), answer.toString());
          assertTrue(answer.get(0).contains("\"value\":\"" + i + "\""), answer.toString());
        }
        assertTrue(standIn.dropped() - before >= 1,
            "the stand-in took " + (standIn.dropped() - before) + " of the 6 requests");
        String stored = Http.get(member, "/v2/keys/retried?recursive=true").body();
        for (int i = 0; i < 6; i++) assertTrue(stored.contains("\"value\":\"" + i + "\""), stored);
      }
    } finally {
      peer.stop(0);
      for (ServerProcess p : all) p.close();
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
        ProxyProcess proxy = ProxyProcess.launch(tmp, "http://127.0.0.1:" + LoopbackPorts.next(),
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
      // counted as etcd's proxy counts them: the endpoint that failed, the request that got no
      // answer, the one that found no endpoint
      String metrics = proxy.get("/metrics").body();
      for (String dropped : List.of("failed_sending_request", "failed_getting_response", "zero_endpoints")) {
        assertTrue(metrics.contains("etcd_proxy_dropped_total{method=\"GET\",proxying_error=\""
            + dropped + "\"}"), dropped + ": " + metrics);
      }
    }
  }

  private ProxyProcess start(String initialCluster) throws Exception {
    return ProxyProcess.launch(tmp, "http://127.0.0.1:" + LoopbackPorts.next(),
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
