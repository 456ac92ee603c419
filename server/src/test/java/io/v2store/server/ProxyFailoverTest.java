package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers on keep-alive connections to the proxy while each of the three members in turn is
 * killed -9 under them and started again: no writer ever loses its connection or goes without an
 * answer (a request its member took with it goes to the next member), and every write answered 2xx
 * is there at the end, with its value.
 */
class ProxyFailoverTest {
  private static final int WRITERS = 4;
  private static final int MAX_WRITES_PER_WRITER = 20_000;
  private static final int ACKS_BETWEEN_STEPS = 100;
  private static final Duration STEP_DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  @Test
  void writersThroughTheProxyOutliveEachMembersDeath() throws Exception {
    List<ServerProcess> members = new ArrayList<>();
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    List<String> lostConnections = new CopyOnWriteArrayList<>();
    AtomicInteger errorAnswers = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> writers = new ArrayList<>();
    try {
      String initial = ServerProcess.startCluster(tmp, List.of("a", "b", "c"), members);
      try (ProxyProcess proxy = ProxyProcess.launch(tmp, "http://127.0.0.1:" + LoopbackPorts.next(),
          List.of("--initial-cluster", initial)).awaitServing()) {
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          Thread t = new Thread(() -> write(proxy.url, writer, acknowledged, lostConnections,
              errorAnswers, stop), "writer-" + w);
          t.start();
          writers.add(t);
        }
        for (ServerProcess member : members) {
          awaitMoreAcks(acknowledged, "before " + member.name() + " is killed");
          member.kill9();
          awaitMoreAcks(acknowledged, "while " + member.name() + " is down");
          member.start(initial, "existing");
        }
        awaitMoreAcks(acknowledged, "with all three back");
        stop.set(true);
        for (Thread t : writers) t.join(60_000);

        assertEquals(List.of(), lostConnections, "requests the proxy left without an answer");
        // One quorum read of the whole tree through the proxy: thousands of reads one key at a
        // time took seconds and checked nothing more.
        Map<String, String> stored = readAll(proxy.url);
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
          assertEquals(write.getValue(), stored.get(write.getKey()),
              write.getKey() + " was acknowledged but reads otherwise");
        }
        System.out.println(acknowledged.size() + " writes acknowledged, " + errorAnswers.get()
            + " answered with an error status, none left without an answer");
      }
    } finally {
      stop.set(true);
      for (Thread t : writers) t.join(60_000);
      for (ServerProcess p : members) p.close();
    }
  }

  /** Every key under /failover and its value, by one recursive quorum read through the proxy. */
  private static Map<String, String> readAll(String proxy) throws Exception {
    HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            proxy + "/v2/keys/failover?recursive=true&quorum=true"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, read.statusCode(), read.body());
    Map<String, String> values = new java.util.HashMap<>();
    collect(new com.fasterxml.jackson.databind.ObjectMapper().readTree(read.body()).get("node"),
        values);
    return values;
  }

  private static void collect(com.fasterxml.jackson.databind.JsonNode node,
      Map<String, String> into) {
    if (node.path("dir").asBoolean()) {
      for (com.fasterxml.jackson.databind.JsonNode child : node.path("nodes")) collect(child, into);
    } else {
      into.put(node.get("key").asText(), node.get("value").asText());
    }
  }

  /** One writer: its own keys, one at a time on one keep-alive connection, bounded in count. */
  private static void write(String proxy, int writer, Map<String, String> acknowledged,
      List<String> lostConnections, AtomicInteger errorAnswers, AtomicBoolean stop) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    for (int i = 0; i < MAX_WRITES_PER_WRITER && !stop.get(); i++) {
      String key = "/failover/w" + writer + "/" + i;
      String value = writer + "-" + i;
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(proxy + "/v2/keys" + key))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 == 2) {
          acknowledged.put(key, value);
        } else {
          errorAnswers.incrementAndGet(); // a member's own answer (no leader yet, say): relayed
        }
      } catch (IOException e) {
        lostConnections.add(key + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void awaitMoreAcks(Map<String, String> acknowledged, String when)
      throws InterruptedException {
    int target = acknowledged.size() + ACKS_BETWEEN_STEPS;
    await(() -> acknowledged.size() >= target, ACKS_BETWEEN_STEPS + " more writes acknowledged " + when);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within " + STEP_DEADLINE + ": " + what);
      Thread.sleep(20);
    }
  }
}
