package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Patroni, the PostgreSQL failover manager that many ran on etcd's v2 API, keeps two PostgreSQL
 * servers on a cluster of three of ours. Its primary holds {@code /service/<scope>/leader} as a
 * lease: created with prevExist=false and a TTL, refreshed with prevValue every loop, released with
 * a compare-and-delete, and taken by a replica once it expires; in synchronous mode it names its
 * standby in {@code /sync}, written with prevIndex. The test walks it through what an
 * operator sees: a first election, a switchover, the loss of the store member the primary talks
 * to (the lease must hold), and the crash of the primary's host (the lease must expire, and the
 * replica take over).
 */
class PatroniTest {
  private static final String SCOPE = "pg-it";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Patroni's TTL (10 s, PatroniNode) and then some. */
  private static final long LEASE_OUTLIVED_NANOS = TimeUnit.SECONDS.toNanos(13);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void patroniElectsSwitchesOverAndFailsOverOnOurCluster() throws Exception {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    PatroniNode.require();
    Path dir = Files.createTempDirectory("patroni-");
    // the postgres user must reach its nodes' directories under this one
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (LocalCluster cluster = new LocalCluster(3)) {
      String hosts = String.join(",", cluster.members.stream().map(m -> m.clientUrl.getAuthority()).toList());
      try (PatroniNode a = new PatroniNode(dir, SCOPE, "pg1", LoopbackPorts.next(), LoopbackPorts.next(), hosts);
           PatroniNode b = new PatroniNode(dir, SCOPE, "pg2", LoopbackPorts.next(), LoopbackPorts.next(), hosts)) {
        Supplier<String> logs = () -> "---- pg1\n" + a.logTail(3000) + "\n---- pg2\n" + b.logTail(3000)
            + "\n" + cluster.logs();
        a.start();
        b.start();

        // A first election: one initialises the database and takes the lease, the other copies it.
        require(120_000, "one primary and one replica", logs,
            () -> (a.isPrimary() && b.isReplica()) || (b.isPrimary() && a.isReplica()));
        PatroniNode elected = a.isPrimary() ? a : b;
        PatroniNode copy = elected == a ? b : a;
        JsonNode lease = leaderKey(cluster);
        assertEquals(elected.name, lease.get("value").asText(), lease::toString);
        assertTrue(lease.get("ttl").asInt() > 0 && lease.get("ttl").asInt() <= 10, lease::toString);
        assertEquals(new TreeSet<>(List.of("pg1", "pg2")), memberNames(cluster));
        requireSync(cluster, elected, copy, logs);

        // A switchover: the primary releases the lease (compare-and-delete) and the replica takes it.
        String answer = elected.switchoverTo(copy);
        assertTrue(answer.startsWith("200"), () -> answer + "\n" + logs.get());
        require(60_000, copy.name + " primary after the switchover", logs,
            () -> copy.isPrimary() && elected.isReplica());
        PatroniNode primary = copy;
        PatroniNode replica = elected;
        assertEquals(primary.name, leaderKey(cluster).get("value").asText());
        requireSync(cluster, primary, replica, logs);

        // The store member the primary's Patroni talks to dies: Patroni must go on refreshing its
        // lease through the others, and never lose it (nor demote itself).
        URI used = primary.etcdServer().orElseThrow(() -> new AssertionError("no etcd server in the log\n" + logs.get()));
        MemberProcess lost = cluster.members.stream()
            .filter(m -> m.clientUrl.getAuthority().equals(used.getAuthority())).findFirst()
            .orElseThrow(() -> new AssertionError(used + " is not one of the members"));
        long leaseCreated = leaderKey(cluster).get("createdIndex").asLong();
        lost.kill9();
        // Held for longer than its TTL after the loss, so only refreshes can have kept it.
        long lostAt = System.nanoTime();
        long[] refreshed = {leaderKey(cluster).get("modifiedIndex").asLong()};
        for (int refresh = 1; refresh <= 3 || System.nanoTime() - lostAt < LEASE_OUTLIVED_NANOS; refresh++) {
          long before = refreshed[0];
          require(30_000, "refresh " + refresh + " of the lease after " + lost.name + " died", logs,
              () -> (refreshed[0] = leaderKey(cluster).get("modifiedIndex").asLong()) > before);
          assertEquals(leaseCreated, leaderKey(cluster).get("createdIndex").asLong(),
              () -> "the lease was lost and taken anew\n" + logs.get());
        }
        JsonNode held = leaderKey(cluster);
        assertEquals(primary.name, held.get("value").asText(), held::toString);
        assertEquals(leaseCreated, held.get("createdIndex").asLong(), () -> "the lease was lost and taken anew: " + held);
        assertTrue(primary.isPrimary(), logs);
        assertFalse(primary.logText().contains("Demoting self"), () -> primary.name + " demoted itself\n" + logs.get());

        // The primary's host crashes: the lease must expire in the store, and the replica take it.
        primary.kill9();
        long lastRefresh = leaderKey(cluster).get("modifiedIndex").asLong();
        require(90_000, replica.name + " primary after " + primary.name + "'s crash", logs, replica::isPrimary);
        JsonNode next = nextEvent(cluster, "/service/" + SCOPE + "/leader", lastRefresh + 1);
        // a refresh still in flight when Patroni died may land after the read above
        for (int late = 0; late < 3 && next.get("action").asText().equals("compareAndSwap")
            && next.get("node").get("value").asText().equals(primary.name); late++) {
          next = nextEvent(cluster, "/service/" + SCOPE + "/leader", next.get("node").get("modifiedIndex").asLong() + 1);
        }
        JsonNode expiry = next;
        assertEquals("expire", expiry.get("action").asText(), expiry::toString);
        assertEquals(primary.name, expiry.get("prevNode").get("value").asText(), expiry::toString);
        JsonNode taken = leaderKey(cluster);
        assertEquals(replica.name, taken.get("value").asText(), taken::toString);
        assertNotEquals(leaseCreated, taken.get("createdIndex").asLong());

        // What an operator then sees: the survivor leads, running; the crashed node is listed until
        // its own member key expires, and never as the leader.
        JsonNode list = JSON.readTree(replica.patronictlList());
        List<String> leaders = new ArrayList<>();
        for (JsonNode member : list) {
          if ("Leader".equals(member.get("Role").asText())) {
            leaders.add(member.get("Member").asText() + " " + member.get("State").asText());
          }
        }
        assertEquals(List.of(replica.name + " running"), leaders, list::toString);
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static void require(long millis, String what, Supplier<String> logs, BooleanSupplier c) {
    if (!ClusterPoll.until(millis, c)) {
      throw new AssertionError("timed out after " + millis + " ms waiting for " + what + "\n" + logs.get());
    }
  }

  /** Waits until /sync names leader and its synchronous standby, as the leader writes it. */
  private static void requireSync(LocalCluster cluster, PatroniNode leader, PatroniNode standby,
      Supplier<String> logs) throws IOException {
    JsonNode wanted = JSON.readTree("{\"leader\":\"" + leader.name + "\",\"sync_standby\":\"" + standby.name + "\"}");
    String[] seen = {"no /sync"};
    require(60_000, "/sync to be " + wanted, () -> seen[0] + "\n" + logs.get(), () -> {
      for (JsonNode n : get(cluster, "/v2/keys/service/" + SCOPE + "?quorum=true").get("node").get("nodes")) {
        if (n.get("key").asText().endsWith("/sync")) {
          seen[0] = "last /sync: " + n;
          try {
            return JSON.readTree(n.get("value").asText()).equals(wanted);
          } catch (IOException e) {
            return false;
          }
        }
      }
      return false;
    });
  }

  /** The leader key as a quorum read on a live member gives it. */
  private static JsonNode leaderKey(LocalCluster cluster) {
    return get(cluster, "/v2/keys/service/" + SCOPE + "/leader?quorum=true").get("node");
  }

  private static TreeSet<String> memberNames(LocalCluster cluster) {
    TreeSet<String> names = new TreeSet<>();
    for (JsonNode n : get(cluster, "/v2/keys/service/" + SCOPE + "/members?quorum=true").get("node").get("nodes")) {
      names.add(n.get("key").asText().substring(n.get("key").asText().lastIndexOf('/') + 1));
    }
    return names;
  }

  /** The first event on key at or after index (a wait that history answers at once). */
  private static JsonNode nextEvent(LocalCluster cluster, String key, long index) {
    return get(cluster, "/v2/keys" + key + "?wait=true&waitIndex=" + index);
  }

  /**
   * A GET answered 200 by any live member, asked in turn until one does: a member just killed, or
   * a quorum read while the others elect a new leader, answers nothing or an error for a moment.
   */
  private static JsonNode get(LocalCluster cluster, String pathAndQuery) {
    JsonNode[] answer = {null};
    String[] last = {"nothing"};
    boolean answered = ClusterPoll.until(20_000, () -> {
      for (MemberProcess m : cluster.members) {
        if (!m.alive()) continue;
        try {
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(m.clientUrl.resolve(pathAndQuery))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            answer[0] = JSON.readTree(r.body());
            return true;
          }
          last[0] = m.name + ": " + r.statusCode() + " " + r.body();
        } catch (IOException e) {
          last[0] = m.name + ": " + e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted");
        }
      }
      return false;
    });
    if (!answered) throw new AssertionError("no member answered " + pathAndQuery + " with 200; last: " + last[0]);
    return answer[0];
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
