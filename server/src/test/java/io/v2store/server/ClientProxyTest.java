package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
    Process proxy = null;
    try {
      for (String name : List.of("a", "b", "c")) {
        all.add(new ServerProcess(name, tmp.resolve(name), List.of()));
      }
      String initial = String.join(",", all.stream().map(p -> p.name() + "=" + p.peerUrl()).toList());
      ServerProcess.startTogether(all, initial);
      String url = "http://127.0.0.1:" + ServerProcess.freePort();
      proxy = startProxy(url, initial);

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
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(
            URI.create(url + "/v2/keys/via/proxy")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode(), read.body());
      }
    } finally {
      if (proxy != null) stop(proxy);
      for (ServerProcess p : all) p.close();
    }
  }

  @Test
  void relaysToEtcd() throws Exception {
    String client = "http://127.0.0.1:" + ServerProcess.freePort();
    String peer = "http://127.0.0.1:" + ServerProcess.freePort();
    Process proxy = null;
    try (DebianEtcd etcd = DebianEtcd.start(tmp.resolve("etcd.log"), client, List.of(
        "--enable-v2=true", "--name", "e", "--data-dir", tmp.resolve("etcd").toString(),
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "e=" + peer))) {
      String url = "http://127.0.0.1:" + ServerProcess.freePort();
      proxy = startProxy(url, "e=" + peer);
      assertEquals(201, put(url + "/v2/keys/to/etcd", "value=v").statusCode());
      HttpResponse<String> direct = http.send(HttpRequest.newBuilder(
          URI.create(client + "/v2/keys/to/etcd")).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(direct.body().contains("\"value\":\"v\""), direct.body());
    } finally {
      if (proxy != null) stop(proxy);
    }
  }

  /**
   * Started before any member, with a long refresh interval: it looks again every second until it
   * has a member list, so the member is reachable through it at once, not 10 minutes later.
   */
  @Test
  void aProxyStartedBeforeItsMembersFindsThemWhenTheyCome() throws Exception {
    Process proxy = null;
    try (ServerProcess member = new ServerProcess("a", tmp.resolve("a"), List.of())) {
      String url = "http://127.0.0.1:" + ServerProcess.freePort();
      String initial = "a=" + member.peerUrl();
      proxy = launchProxy(url, initial, "--proxy-refresh-interval", "600000");
      // It listens and answers 503 while it knows no member.
      assertEquals(503, awaitAnswer(url + "/version", proxy).statusCode());
      member.start(initial, "new");
      HttpResponse<String> answer = awaitAnswer(url + "/version", proxy);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (answer.statusCode() != 200 && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
        answer = awaitAnswer(url + "/version", proxy);
      }
      assertEquals(200, answer.statusCode(), answer.body());
    } finally {
      if (proxy != null) stop(proxy);
    }
  }

  private HttpResponse<String> awaitAnswer(String url, Process proxy) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (proxy.isAlive() && Instant.now().isBefore(deadline)) {
      try {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the proxy does not answer; log:\n"
        + java.nio.file.Files.readString(tmp.resolve("proxy.log")));
  }

  private Process launchProxy(String url, String initialCluster, String... flags)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.library.path=" + System.getProperty("java.library.path"),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "io.v2store.server.EtcdMain", "--proxy", "on", "--name", "p",
        "--data-dir", tmp.resolve("proxy").toString(), "--listen-client-urls", url,
        "--initial-cluster", initialCluster));
    command.addAll(List.of(flags));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("proxy.log").toFile()).start();
  }

  private Process startProxy(String url, String initialCluster) throws Exception {
    return awaitServing(launchProxy(url, initialCluster), url);
  }

  private Process awaitServing(Process proxy, String url) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline) && proxy.isAlive()) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url + "/version")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return proxy;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    stop(proxy);
    throw new IllegalStateException("the proxy did not come up; log:\n"
        + java.nio.file.Files.readString(tmp.resolve("proxy.log")));
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
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
