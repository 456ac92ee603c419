package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.v2store.testkit.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --discovery, as CoreOS clusters bootstrapped: three members find each other through a
 * directory of another server's key space (here a single member of ours, as etcd's own
 * discovery.etcd.io is an etcd), a fourth becomes a proxy, a fifth told to exit exits, and a
 * restart needs no discovery.
 */
class DiscoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void threeMembersBootstrapThroughADiscoveryDirectory() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try (ServerProcess service = new ServerProcess(tmp.resolve("discovery"), List.of())) {
      service.start();
      assertEquals(201, Http.put(service, "/v2/keys/discovery/token1/_config/size", "value=3")
          .statusCode());
      String url = service.clientUrl() + "/v2/keys/discovery/token1";
      bootstrapThree(url, all);
      JsonNode registered = JSON.readTree(Http.get(service, "/v2/keys/discovery/token1").body());
      // One registration each (_config is hidden from the listing: a leading underscore).
      assertEquals(3, registered.get("node").get("nodes").size(), registered.toString());
      registered.get("node").get("nodes").forEach(n -> assertTrue(
          n.get("value").asText().matches("[abc]=http://127\\.0\\.0\\.1:\\d+"), n.toString()));

      // Each start below waits on nothing the others do: the slow part, a JVM's start, overlaps.
      // A proxy configured as CoreOS workers were (--proxy on with the same --discovery) finds
      // the members through the directory and registers nothing there. A fourth finds the
      // cluster full and, as etcd by default (--discovery-fallback=proxy), serves its clients as
      // a proxy to the three: CoreOS machines past the size did this.
      ServerProcess fallback = new ServerProcess("d", tmp.resolve("d"), List.of());
      all.add(fallback);
      try (ProxyProcess proxy = ProxyProcess.launch(tmp,
          "http://127.0.0.1:" + LoopbackPorts.next(), List.of("--discovery", url))) {
        fallback.launchWithDiscovery(url);
        proxy.awaitServing();
        HttpResponse<String> viaProxy = proxy.get("/v2/keys/k?quorum=true");
        assertTrue(viaProxy.body().contains("\"value\":\"v\""), viaProxy.body());
        fallback.awaitHealthy();
      }
      assertEquals(201, Http.put(fallback, "/v2/keys/via-fallback", "value=p").statusCode());
      HttpResponse<String> viaFallback = Http.get(all.get(1), "/v2/keys/via-fallback?quorum=true");
      assertTrue(viaFallback.body().contains("\"value\":\"p\""), viaFallback.body());
      assertTrue(fallback.log().contains("discovery cluster full, falling back to proxy"), fallback.log());
      assertEquals(3, JSON.readTree(Http.get(service, "/v2/keys/discovery/token1").body())
          .get("node").get("nodes").size(), "the proxy and the fallback proxy registered nothing");

      // With --discovery-fallback=exit, a fifth exits instead, with etcd's words. And one whose
      // data dir is lost cannot register again under its id: etcd's error and advice.
      ServerProcess late = new ServerProcess("e", tmp.resolve("e"), List.of("--discovery-fallback", "exit"));
      all.add(late);
      late.launchWithDiscovery(url);
      ServerProcess c = all.get(2);
      c.kill9();
      deleteTree(tmp.resolve("c"));
      c.launchWithDiscovery(url);
      assertTrue(late.awaitExit(Duration.ofSeconds(60)), late.logTail());
      assertEquals(1, late.exitCode());
      assertTrue(late.log().contains("discovery: cluster is full"), late.log());
      assertFalse(late.log().contains("\tat "), "no stack trace:\n" + late.log());
      assertTrue(c.awaitExit(Duration.ofSeconds(60)), c.logTail());
      assertEquals(1, c.exitCode());
      assertTrue(c.log().contains("discovery: found duplicate id"), c.log());
      assertTrue(c.log().contains("has previously registered with discovery service token"), c.log());

      // A restart comes back from its data dir: the discovery service may be gone by then.
      // So does the fallback proxy: its data dir says it is a proxy, its cluster file who the
      // members are.
      service.close();
      ServerProcess b = all.get(1);
      b.kill9();
      fallback.kill9();
      b.launchWithDiscovery(url);
      fallback.launchWithDiscovery(url);
      b.awaitHealthy();
      HttpResponse<String> again = Http.get(b, "/v2/keys/k?quorum=true");
      assertTrue(again.body().contains("\"value\":\"v\""), again.body());
      fallback.awaitHealthy();
      HttpResponse<String> proxiedAgain = Http.get(fallback, "/v2/keys/via-fallback?quorum=true");
      assertTrue(proxiedAgain.body().contains("\"value\":\"p\""), proxiedAgain.body());
      assertTrue(fallback.log().contains("from cluster file"), fallback.log());
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }

  /** The same through a directory on Debian's etcd, the reference the protocol was read from. */
  @Test
  void threeMembersBootstrapThroughADirectoryOnEtcd() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try (DebianEtcd etcd = DebianEtcd.member(tmp, "disc")) {
      String client = etcd.clientUrl;
      HttpResponse<String> size = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(client + "/v2/keys/discovery/token2/_config/size"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .PUT(HttpRequest.BodyPublishers.ofString("value=3")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, size.statusCode(), size.body());
      bootstrapThree(client + "/v2/keys/discovery/token2", all);
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }

  /**
   * --discovery-proxy: every request to the discovery service goes through the HTTP proxy given
   * (a bare host:port, as etcd takes it).
   */
  @Test
  void membersReachTheDiscoveryServiceThroughAnHttpProxy() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try (ServerProcess service = new ServerProcess(tmp.resolve("discovery"), List.of());
        ForwardProxy proxy = new ForwardProxy()) {
      service.start();
      assertEquals(201, Http.put(service, "/v2/keys/discovery/proxied/_config/size", "value=2")
          .statusCode());
      String url = service.clientUrl() + "/v2/keys/discovery/proxied";
      for (String name : List.of("a", "b")) {
        ServerProcess member = new ServerProcess(name, tmp.resolve(name),
            List.of("--discovery-proxy", proxy.address()));
        all.add(member);
        member.launchWithDiscovery(url);
      }
      for (ServerProcess member : all) member.awaitHealthy();
      JsonNode members = JSON.readTree(Http.get(all.get(0), "/v2/members").body()).get("members");
      assertEquals(2, members.size(), members.toString());
      String prefix = "http://127.0.0.1:" + URI.create(service.clientUrl()).getPort() + "/v2/keys/discovery/proxied";
      // each member's registration and its reads of the size and the directory (whether it also
      // waited depends on which registered first)
      for (String expected : List.of("PUT " + prefix + "/", "GET " + prefix + "/_config/size ", "GET " + prefix + " ")) {
        assertTrue(proxy.requestLines.stream().filter(l -> l.startsWith(expected)).count() >= 2,
            expected + " in " + proxy.requestLines);
      }
      assertTrue(proxy.requestLines.stream().allMatch(l -> l.contains(" http://")),
          "absolute-form requests only, as to a proxy: " + proxy.requestLines);
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }

  /**
   * A member whose first start stops after it registered and before its log holds the
   * discovered cluster (here its log cannot be opened; a kill in that moment is the same) has
   * not bootstrapped: on the next start it goes to the discovery service again and, as etcd's
   * without a WAL, is refused there as a duplicate. It used to take its data dir for
   * initialized and make a cluster of itself alone under the real cluster's id: a second
   * leader, acknowledging writes that the other two never saw.
   */
  @Test
  void aFirstStartStoppedBeforeItsLogWasWrittenIsNotAClusterOfItsOwn() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try (ServerProcess service = new ServerProcess(tmp.resolve("discovery"), List.of())) {
      service.start();
      assertEquals(201, Http.put(service, "/v2/keys/discovery/token3/_config/size", "value=3")
          .statusCode());
      String url = service.clientUrl() + "/v2/keys/discovery/token3";
      Path blocker = tmp.resolve("c").resolve("member").resolve("raft").resolve("db");
      java.nio.file.Files.createDirectories(blocker.getParent());
      java.nio.file.Files.writeString(blocker, "not a directory");
      for (String name : List.of("a", "b", "c")) {
        ServerProcess member = new ServerProcess(name, tmp.resolve(name), List.of());
        all.add(member);
        member.launchWithDiscovery(url);
      }
      ServerProcess c = all.get(2);
      assertTrue(c.awaitExit(Duration.ofSeconds(60)), c.logTail());
      assertEquals(1, c.exitCode(), c.logTail());
      all.get(0).awaitHealthy();
      all.get(1).awaitHealthy();
      assertEquals(201, Http.put(all.get(0), "/v2/keys/k", "value=v").statusCode());

      java.nio.file.Files.delete(blocker);
      c.launchWithDiscovery(url);
      assertTrue(c.awaitExit(Duration.ofSeconds(60)), "c must not serve alone:\n" + c.logTail());
      assertEquals(1, c.exitCode(), c.logTail());
      assertTrue(c.log().contains("discovery: found duplicate id"), c.logTail());
      assertEquals(201, Http.put(all.get(1), "/v2/keys/k2", "value=w").statusCode());
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }

  /**
   * A member stopped after its first start had written the discovered membership, before any
   * peer answered it (still at term 0: the others not up yet), keeps that membership when it
   * starts again. The flags alone name it without its peers (--discovery's list is this member),
   * and it used to write its first snapshot again from them: it elected itself the leader of a
   * cluster of one under the real cluster's id and acknowledged writes the others never saw.
   */
  @Test
  void aMemberRestartedBeforeItsPeersAnsweredKeepsTheDiscoveredMembers() throws Exception {
    try (ServerProcess service = new ServerProcess(tmp.resolve("discovery"), List.of());
        ServerProcess a = new ServerProcess("a", tmp.resolve("a"), List.of())) {
      service.start();
      assertEquals(201, Http.put(service, "/v2/keys/discovery/token4/_config/size", "value=2")
          .statusCode());
      // b registered and has not come up
      assertEquals(201, Http.put(service, "/v2/keys/discovery/token4/1234",
          "value=b%3Dhttp%3A%2F%2F127.0.0.1%3A" + LoopbackPorts.next()).statusCode());
      String url = service.clientUrl() + "/v2/keys/discovery/token4";
      a.launchWithDiscovery(url);
      awaitLog(a, "recovered snapshot at index 0", 1);
      a.kill9();
      a.launchWithDiscovery(url);
      awaitLog(a, "recovered snapshot at index 0", 2);
      // Each probe is bounded by what is left of the window: a's client port is bound before it
      // serves, so a probe waits there unanswered, and Http's 30 s timeout made the window 30 s.
      HttpClient probes = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) {
        long leftMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        try {
          HttpResponse<String> health = probes.send(HttpRequest.newBuilder(
                  URI.create(a.clientUrl() + "/health")).timeout(Duration.ofMillis(leftMillis))
              .build(), HttpResponse.BodyHandlers.ofString());
          assertFalse(health.statusCode() == 200 && health.body().contains("true"),
              "a serves as a cluster of one:\n" + a.logTail());
        } catch (java.io.IOException notServing) {
          // as it should: no quorum, nothing published
        }
        Thread.sleep(200);
      }
      assertFalse(a.log().contains("we are LEADER"), a.logTail());
    }
  }

  private static void awaitLog(ServerProcess p, String text, int times) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (p.log().split(java.util.regex.Pattern.quote(text), -1).length - 1 < times) {
      assertTrue(System.nanoTime() < deadline, "no \"" + text + "\":\n" + p.logTail());
      Thread.sleep(100);
    }
  }

  /** Starts a, b and c into all with --discovery url; checks that they make one cluster. */
  private void bootstrapThree(String url, List<ServerProcess> all) throws Exception {
    for (String name : List.of("a", "b", "c")) {
      ServerProcess member = new ServerProcess(name, tmp.resolve(name), List.of());
      all.add(member);
      member.launchWithDiscovery(url);
    }
    for (ServerProcess member : all) member.awaitHealthy();
    Set<String> expected = new TreeSet<>();
    for (ServerProcess member : all) expected.add(member.name() + " " + member.peerUrl());
    for (ServerProcess member : all) {
      JsonNode members = JSON.readTree(Http.get(member, "/v2/members").body()).get("members");
      Set<String> listed = new TreeSet<>();
      members.forEach(m -> listed.add(m.get("name").asText() + " "
          + m.get("peerURLs").get(0).asText()));
      assertEquals(expected, listed, "one cluster of the three, as seen by " + member.name());
    }
    assertEquals(201, Http.put(all.get(0), "/v2/keys/k", "value=v").statusCode());
    HttpResponse<String> read = Http.get(all.get(2), "/v2/keys/k?quorum=true");
    assertTrue(read.body().contains("\"value\":\"v\""), read.body());
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }

  /** A directory whose size is missing or makes no sense stops the start with etcd's words. */
  @Test
  void aBadDirectoryStopsTheStart() throws Exception {
    try (ServerProcess service = new ServerProcess(tmp.resolve("discovery"), List.of())) {
      service.start();
      assertEquals(201, Http.put(service, "/v2/keys/d/zero/_config/size", "value=0").statusCode());
      assertEquals(201, Http.put(service, "/v2/keys/d/word/_config/size", "value=three").statusCode());
      String[][] cases = {{"none", "discovery: size key not found"},
          {"zero", "discovery: size key is bad"}, {"word", "discovery: size key is bad"}};
      // started together: each case waits on a JVM's start, not on the others
      List<ServerProcess> members = new ArrayList<>();
      try {
        for (String[] c : cases) {
          ServerProcess member = new ServerProcess("m", tmp.resolve("m-" + c[0]), List.of());
          members.add(member);
          member.launchWithDiscovery(service.clientUrl() + "/v2/keys/d/" + c[0]);
        }
        for (int i = 0; i < cases.length; i++) {
          ServerProcess member = members.get(i);
          assertTrue(member.awaitExit(Duration.ofSeconds(60)), member.logTail());
          assertEquals(1, member.exitCode());
          assertTrue(member.log().contains(cases[i][1]), member.log());
          assertFalse(member.log().contains("\tat "), "no stack trace:\n" + member.log());
        }
      } finally {
        for (ServerProcess member : members) member.close();
      }
    }
  }

  @Test
  void discoveryAndAnExplicitInitialClusterAreRefusedTogether() throws Exception {
    try (ServerProcess member = new ServerProcess("a", tmp.resolve("a"),
        List.of("--discovery", "http://127.0.0.1:1/v2/keys/d"))) {
      member.launch("a=" + member.peerUrl(), "new");
      assertTrue(member.awaitExit(Duration.ofSeconds(60)), member.logTail());
      assertEquals(1, member.exitCode());
      assertTrue(member.log().contains("multiple discovery or bootstrap flags are set"),
          member.log());
    }
  }
}
