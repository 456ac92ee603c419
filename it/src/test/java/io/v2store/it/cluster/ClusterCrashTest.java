package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * All three members SIGKILLed while clients write through every one of them, four times over:
 * within a moment of each other (a power cut), or the leader first and the other two once they
 * have elected another and taken more writes. A write that got a 2xx was fsynced on a majority,
 * so after the restart every member must serve it with its value and index, whichever members
 * had it in their logs, their snapshots or only in their peers'.
 */
class ClusterCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * More for a longer hunt: {@code -Dit.crash.rounds=40
   * -Djunit.jupiter.execution.timeout.mode=disabled} (each round takes 3-4 s here).
   */
  private static final int ROUNDS = Integer.getInteger("it.crash.rounds", 4);
  private static final int WRITERS = 6;
  private static final int MAX_WRITES_PER_WRITER = 5_000;
  private static final int ACKS_BEFORE_KILL = 300;
  private static final int ACKS_AFTER_LEADER_DIES = 100;

  /** key -> "value@modifiedIndex" of every acknowledged write. */
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  /** Counts the acknowledgements after a leader's kill in the rounds that kill it first. */
  private volatile CountDownLatch afterLeaderDied;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  /**
   * Snapshots every 150 entries (not scaled by size), so that the kills land before, during and
   * after snapshots and the log compaction behind them.
   */
  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void acknowledgedWritesSurviveKillingEveryMember() throws Exception {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    try (LocalCluster cluster = new LocalCluster(3,
        List.of("--snapshot-count", "150", "--snapshot-scales=false"))) {
      long highestAcked = 0;
      for (int round = 0; round < ROUNDS; round++) {
        highestAcked = Math.max(highestAcked, writeUntilPowerCut(cluster, round));
        for (MemberProcess m : cluster.members) cluster.start(m);
        for (MemberProcess m : cluster.members) cluster.awaitHealthy(m);
        for (MemberProcess m : cluster.members) {
          requireEveryAcknowledgedWrite(m, highestAcked);
        }
      }
      assertTrue(acknowledged.size() >= ROUNDS * ACKS_BEFORE_KILL,
          "too few acknowledged writes: " + acknowledged.size());
    }
  }

  /**
   * Writers on every member (a follower forwards its writes to the leader), then SIGKILL to all
   * three, in an order that rotates by round, before any exit is awaited; in odd rounds the
   * leader is killed first, alone. Returns the highest acknowledged index.
   */
  private long writeUntilPowerCut(LocalCluster cluster, int round) throws InterruptedException {
    CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_KILL);
    afterLeaderDied = null;
    AtomicLong highest = new AtomicLong();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      MemberProcess target = cluster.members.get(w % cluster.members.size());
      String prefix = "/crash/r" + round + "w" + w + "n";
      Thread t = new Thread(() -> write(target.clientUrl, prefix, highest, enoughAcks),
          "crash-writer-" + w);
      t.setDaemon(true);
      t.start();
      writers.add(t);
    }
    assertTrue(enoughAcks.await(60, TimeUnit.SECONDS),
        "writes were not acknowledged in time:\n" + cluster.logs());
    if (round % 2 == 1) {
      // The leader first: the two left elect another and take more writes before the cut, so
      // the writes the first leader acknowledged must have been on one of them already.
      MemberProcess first = cluster.awaitLeader(10_000);
      first.kill9();
      cluster.awaitLeader(10_000);
      CountDownLatch more = new CountDownLatch(ACKS_AFTER_LEADER_DIES);
      afterLeaderDied = more;
      assertTrue(more.await(60, TimeUnit.SECONDS),
          "no writes acknowledged after the leader died:\n" + cluster.logs());
    }
    int n = cluster.members.size();
    for (int i = 0; i < n; i++) cluster.members.get((round + i) % n).sendKill9();
    for (MemberProcess m : cluster.members) m.awaitExit();
    for (Thread t : writers) t.join(30_000);
    for (Thread t : writers) assertTrue(!t.isAlive(), t.getName() + " still running");
    return highest.get();
  }

  private void write(URI member, String prefix, AtomicLong highest, CountDownLatch acks) {
    for (int i = 0; i < MAX_WRITES_PER_WRITER; i++) {
      String key = prefix + i;
      String value = "v" + i;
      HttpRequest put = HttpRequest.newBuilder(member.resolve("/v2/keys" + key))
          .timeout(Duration.ofSeconds(5))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build();
      try {
        HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) continue; // a timeout or an election: not acknowledged
        long index = JSON.readTree(r.body()).path("node").path("modifiedIndex").asLong();
        acknowledged.put(key, value + "@" + index);
        highest.accumulateAndGet(index, Math::max);
        acks.countDown();
        CountDownLatch more = afterLeaderDied;
        if (more != null) more.countDown();
      } catch (IOException dead) {
        return; // the member is gone: this write is indeterminate, not acknowledged
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Polls (a follower may still be catching up from its peers) until the member's own view, a
   * plain GET, holds every acknowledged write with its value and index and its etcd index has
   * not gone back.
   */
  private void requireEveryAcknowledgedWrite(MemberProcess m, long highestAcked) {
    List<String> missing = new ArrayList<>();
    long[] etcdIndex = {-1};
    boolean all = ClusterPoll.until(30_000, () -> {
      missing.clear();
      Map<String, String> held = localView(m, etcdIndex);
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        String got = held.get(e.getKey());
        if (!e.getValue().equals(got)) missing.add(e.getKey() + "=" + e.getValue() + " got " + got);
      }
      return missing.isEmpty() && etcdIndex[0] >= highestAcked;
    });
    if (!all) {
      throw new AssertionError(m.name + " (etcd index " + etcdIndex[0] + ", highest acknowledged "
          + highestAcked + ") lost " + missing.size() + " acknowledged writes, e.g. "
          + missing.subList(0, Math.min(5, missing.size())) + "\n" + m.logTail(4000));
    }
  }

  /** key -> "value@modifiedIndex" under /crash as the member serves it locally. */
  private Map<String, String> localView(MemberProcess m, long[] etcdIndex) {
    Map<String, String> held = new HashMap<>();
    try {
      HttpRequest get = HttpRequest.newBuilder(m.clientUrl.resolve("/v2/keys/crash?recursive=true"))
          .timeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
      etcdIndex[0] = r.headers().firstValueAsLong("X-Etcd-Index").orElse(-1);
      for (JsonNode n : JSON.readTree(r.body()).path("node").path("nodes")) {
        held.put(n.path("key").asText(),
            n.path("value").asText() + "@" + n.path("modifiedIndex").asLong());
      }
    } catch (IOException e) {
      return held; // not answering yet: everything counts as missing until it does
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return held;
  }
}
