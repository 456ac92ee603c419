package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.v2store.raft.lin.LinearizabilityChecker;
import io.v2store.raft.lin.Operation;
import io.v2store.raft.lin.Verdict;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three of our server processes whose peer traffic passes through relays that can lose one
 * member's messages to another: the network partitions that a pause or a kill cannot make, with
 * every member still answering its clients. Clients keep talking to all three throughout, and
 * every history is checked by the linearizability checker.
 */
class PartitionTest {
  private static final long REQUEST_TIMEOUT_MILLIS = 3_000;
  /**
   * Clients of the tests that wait for a count of operations while a member is cut off: each
   * client that picks that member is held for a whole request timeout, so with four the count
   * took 15-20 s of waiting. Eight reach it in half the time with the same share of operations
   * sent to the cut-off member, and more of them in flight when it returns.
   */
  private static final int CLIENTS_THROUGH_A_CUT = 8;

  private static List<URI> allUrls(LocalCluster cluster) {
    return cluster.members.stream().map(m -> m.clientUrl).toList();
  }

  /**
   * The leader loses the others both ways while its clients still reach it: the majority elects
   * another, the old leader steps down (it hears from no quorum), nothing its clients were told
   * is contradicted, and after the heal it follows and holds what the others hold. Before the
   * heal it is killed and restarted, still cut off, so that the entries it appended alone and
   * never committed come back from its own log and must give way to the new leader's.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void anIsolatedLeaderStepsDownAndTheMajorityGoesOn() {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    try (LocalCluster cluster = LocalCluster.withRelays(3);
        ClusterWorkload load = new ClusterWorkload(CLIENTS_THROUGH_A_CUT, 400,
            REQUEST_TIMEOUT_MILLIS, () -> allUrls(cluster))) {
      load.awaitMore(60, 20_000);
      MemberProcess old = cluster.awaitLeader(10_000);
      cluster.isolate(old);
      List<MemberProcess> majority = others(cluster, old);
      ClusterPoll.require(15_000, "a leader among the two others", () -> leaderAmong(majority));
      ClusterPoll.require(15_000, "the isolated leader to step down", () -> !isLeader(old));
      load.awaitMore(60, 30_000);
      old.kill9();
      cluster.start(old);
      // As etcd, it serves clients only once its attributes are committed, which needs the
      // others: its own log says when it has read its entries back.
      ClusterPoll.require(30_000, old.name + " to read its log back", () ->
          old.logTail(Integer.MAX_VALUE).split(": recovered snapshot at index", -1).length == 3);
      cluster.heal();
      cluster.awaitHealthy(old);
      load.awaitMore(40, 20_000);
      requireLinearizableAndConverged(cluster, load);
    }
  }

  /**
   * The leader can still send but hears nothing (its inbound links are cut): its heartbeats keep
   * arriving, yet without acknowledgements it commits nothing. It must step down so that the
   * others elect a leader that can, and hearing again must not cost that leader its place.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aLeaderThatHearsNothingStepsDownAndTheOthersElectOne() {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    try (LocalCluster cluster = LocalCluster.withRelays(3);
        ClusterWorkload load = new ClusterWorkload(CLIENTS_THROUGH_A_CUT, 400,
            REQUEST_TIMEOUT_MILLIS, () -> allUrls(cluster))) {
      load.awaitMore(60, 20_000);
      MemberProcess deaf = cluster.awaitLeader(10_000);
      List<MemberProcess> others = others(cluster, deaf);
      for (MemberProcess o : others) cluster.cut(o, deaf);
      ClusterPoll.require(15_000, "a leader among the two others", () -> leaderAmong(others));
      ClusterPoll.require(15_000, "the deaf leader to step down", () -> !isLeader(deaf));
      load.awaitMore(60, 30_000);
      MemberProcess next = cluster.awaitLeader(10_000);
      long term = new V2Client(2_000).raftTerm(next.clientUrl);
      // its campaigns while deaf were pre-votes: its return deposes no one
      healWithoutAnElection(cluster, load, deaf, next, term);
      requireLinearizableAndConverged(cluster, load);
    }
  }

  /**
   * A follower cut from the leader alone (it still reaches the other follower) must not unseat
   * a leader that a majority still hears, neither while cut (the other follower, hearing the
   * leader, ignores its campaigns) nor when the link comes back: with pre-vote its campaigns
   * only ask and its term stays, so its return does not depose the leader. Without pre-vote
   * (etcd 3.4's default) it comes back with a higher term and forces an election.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aFollowerCutFromTheLeaderAloneDoesNotUnseatIt() {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    try (LocalCluster cluster = LocalCluster.withRelays(3);
        ClusterWorkload load = new ClusterWorkload(4, 400, REQUEST_TIMEOUT_MILLIS,
            () -> allUrls(cluster))) {
      load.awaitMore(40, 20_000);
      MemberProcess leader = cluster.awaitLeader(10_000);
      V2Client c = new V2Client(2_000);
      long term = c.raftTerm(leader.clientUrl);
      MemberProcess cutOff = others(cluster, leader).get(0);
      cluster.cut(leader, cutOff);
      cluster.cut(cutOff, leader);
      // ten election timeouts: the cut-off follower's timer fires again and again meanwhile
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10 * LocalCluster.ELECTION_MILLIS);
      while (System.nanoTime() < until) {
        assertTrue(isLeader(leader), "the leader was unseated");
        load.awaitMore(5, 1_000);
      }
      assertEquals(term, c.raftTerm(leader.clientUrl), "the leader's term changed");
      healWithoutAnElection(cluster, load, cutOff, leader, term);
      requireLinearizableAndConverged(cluster, load);
    }
  }

  /**
   * confd's long poll parked on a follower that is then cut off while a service registers
   * through the leader and the log moves on past the catch-up tail: back on the network, the
   * follower is sent a snapshot instead of the entries, and the parked watch must still get the
   * registration (etcd's would wait on for the next change).
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWatcherOnAFollowerCaughtUpBySnapshotGetsTheChangeItMissed() throws Exception {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    try (LocalCluster cluster = LocalCluster.withRelays(3,
        List.of("--snapshot-count", "20", "--snapshot-scales=false"))) {
      MemberProcess leader = cluster.awaitLeader(10_000);
      MemberProcess follower = others(cluster, leader).get(0);
      HttpClient http = HttpClient.newHttpClient();
      long index = http.send(HttpRequest.newBuilder(follower.clientUrl.resolve("/v2/keys/"))
          .build(), HttpResponse.BodyHandlers.discarding()).headers()
          .firstValueAsLong("X-Etcd-Index").orElseThrow();
      var watch = http.sendAsync(HttpRequest.newBuilder(follower.clientUrl.resolve(
          "/v2/keys/app?wait=true&recursive=true&waitIndex=" + (index + 1))).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpRequest stats = HttpRequest.newBuilder(follower.clientUrl.resolve("/v2/stats/store"))
          .build();
      ClusterPoll.require(10_000, "the watch to be parked", () -> http.sendAsync(stats,
          HttpResponse.BodyHandlers.ofString()).join().body().contains("\"watchers\":1"));
      cluster.isolate(follower);
      put(http, leader, "/v2/keys/app/server/5000", "value=10.0.0.7:5000");
      for (int i = 0; i < 100; i++) put(http, leader, "/v2/keys/other/" + i, "value=" + i);
      cluster.heal();

      String event = watch.get(30, TimeUnit.SECONDS).body();
      assertTrue(event.contains("\"key\":\"/app/server/5000\""), event);
      assertTrue(event.contains("\"value\":\"10.0.0.7:5000\""), event);
      assertTrue(follower.logTail(Integer.MAX_VALUE).contains("installing a snapshot from the leader"),
          "the follower caught up without a snapshot: the case proves nothing");
    }
  }

  private static void put(HttpClient http, MemberProcess m, String path, String form)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(m.clientUrl.resolve(path))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() / 100 == 2, path + ": " + r.statusCode() + " " + r.body());
  }

  /**
   * Links cut and healed at random, a few times a second for about 20 s (the schedule comes from
   * one seed, {@code -Dit.partition.seed}; {@code -Dit.partition.steps} makes it longer): every
   * history must still be linearizable, whatever the leases, elections and reconnections did
   * meanwhile, and once healed the members must agree.
   */
  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void aNetworkThatKeepsPartitioningStaysLinearizable() throws InterruptedException {
    partitionAtRandom(List.of(), false);
  }

  /**
   * The same with a snapshot every 20 entries and a catch-up tail of 10, a writer of other keys
   * through each member besides (the checked clients mostly wait out timeouts while links are
   * cut), and every tenth step a follower isolated until the others have committed well past the
   * leader's snapshot and catch-up tail (two election timeouts at least; it was a blind 1.5 s):
   * followers fall behind the leader's compacted log and are sent snapshots, which the next cut
   * may break off halfway.
   */
  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void snapshotsSentAcrossANetworkThatKeepsPartitioning() throws InterruptedException {
    List<String> logs = partitionAtRandom(
        List.of("--snapshot-count", "20", "--snapshot-scales=false"), true);
    long installed = logs.stream()
        .mapToLong(log -> log.split("installing a snapshot from the leader", -1).length - 1).sum();
    System.out.println("snapshots installed from a leader: " + installed);
    assertTrue(installed >= 1, "no follower was sent a snapshot: the case proves nothing");
  }

  /**
   * Runs the schedule and the checks, with a writer of unchecked keys besides if filler; the
   * members' whole logs.
   */
  private List<String> partitionAtRandom(List<String> flags, boolean filler)
      throws InterruptedException {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    long seed = Long.getLong("it.partition.seed", 1);
    Random random = new Random(seed);
    try (LocalCluster cluster = LocalCluster.withRelays(3, flags);
        ClusterWorkload load = new ClusterWorkload(4, 2_000, REQUEST_TIMEOUT_MILLIS,
            () -> allUrls(cluster))) {
      load.awaitMore(40, 20_000);
      AtomicBoolean stopFiller = new AtomicBoolean();
      List<Thread> fillers = !filler ? List.of() : cluster.members.stream().map(m -> {
        Thread t = new Thread(() -> fillUntil(stopFiller, m.clientUrl), "filler-" + m.name);
        t.setDaemon(true);
        t.start();
        return t;
      }).toList();
      int steps = Integer.getInteger("it.partition.steps", 50);
      for (int step = 0; step < steps; step++) {
        cluster.heal();
        if (filler && step % 10 == 9) {
          // a follower, until the others have committed past a snapshot and the catch-up tail
          List<MemberProcess> followers =
              cluster.members.stream().filter(m -> !isLeader(m)).toList();
          MemberProcess isolated = followers.get(random.nextInt(followers.size()));
          cluster.isolate(isolated);
          awaitLogPast(cluster, isolated);
          continue;
        }
        int cuts = random.nextInt(4); // 0-3 directed links of the 6 lost for this step
        for (int c = 0; c < cuts; c++) {
          MemberProcess from = cluster.members.get(random.nextInt(3));
          MemberProcess to = cluster.members.get(random.nextInt(3));
          if (from != to) cluster.cut(from, to);
        }
        Thread.sleep(200 + random.nextInt(400)); // the schedule itself, not a wait for a state
      }
      stopFiller.set(true);
      for (Thread t : fillers) t.join(10_000);
      cluster.heal();
      for (MemberProcess m : cluster.members) cluster.awaitHealthy(m);
      load.awaitMore(40, 20_000);
      requireLinearizableAndConverged(cluster, load, "seed " + seed + " " + flags);
      return cluster.members.stream().map(m -> m.logTail(Integer.MAX_VALUE)).toList();
    }
  }

  /**
   * Waits (bounded) until the members other than isolated have committed 60 entries past the
   * furthest any member stood: with a snapshot every 20 and a catch-up tail of 10 (the flags), the
   * entries it lacks are then compacted away and only a snapshot can catch it up. This was a
   * 1.5 s sleep that hoped the fillers wrote that much; on a slow machine they may not, and the
   * count is what the step needs. It lasts at least two election timeouts, as a step of the
   * schedule: the cut-off follower's timer fires while it hears no one. Past the deadline the
   * schedule goes on: the test's check that some snapshot was installed still holds it to account.
   */
  private static void awaitLogPast(LocalCluster cluster, MemberProcess isolated)
      throws InterruptedException {
    long earliestEnd = System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos(2 * LocalCluster.ELECTION_MILLIS);
    V2Client c = new V2Client(1_000);
    long from = cluster.members.stream().mapToLong(m -> c.raftIndex(m.clientUrl)).max().orElse(0);
    List<MemberProcess> others = others(cluster, isolated);
    ClusterPoll.until(10_000,
        () -> others.stream().anyMatch(m -> c.raftIndex(m.clientUrl) >= from + 60));
    long left = earliestEnd - System.nanoTime();
    if (left > 0) TimeUnit.NANOSECONDS.sleep(left); // the schedule itself, not a wait for a state
  }

  /**
   * Writes keys under /filler through one member, one at a time, until told to stop: one such
   * writer per member, so that the members cut off from a leader hold up only their own.
   */
  private static void fillUntil(AtomicBoolean stop, URI member) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    String prefix = "/v2/keys/filler/" + member.getPort() + "-";
    for (int i = 0; !stop.get() && i < 100_000; i++) {
      HttpRequest put = HttpRequest.newBuilder(member.resolve(prefix + i))
          .timeout(Duration.ofSeconds(1))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .PUT(HttpRequest.BodyPublishers.ofString("value=" + i)).build();
      try {
        http.send(put, HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        // a member without a leader times out: try again
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Heals; the returning member must rejoin without costing the leader its place or its term. */
  private static void healWithoutAnElection(LocalCluster cluster, ClusterWorkload load,
      MemberProcess returning, MemberProcess leader, long term) {
    cluster.heal();
    cluster.awaitHealthy(returning);
    load.awaitMore(40, 20_000);
    assertEquals(leader, cluster.awaitLeader(10_000), "the leader changed");
    assertEquals(term, new V2Client(2_000).raftTerm(leader.clientUrl),
        returning.name + "'s return forced an election");
  }

  private static void requireLinearizableAndConverged(LocalCluster cluster, ClusterWorkload load) {
    requireLinearizableAndConverged(cluster, load, "");
  }

  private static void requireLinearizableAndConverged(LocalCluster cluster, ClusterWorkload load,
      String what) {
    List<Operation> history = load.finishWithAcknowledged(120, 30_000, REQUEST_TIMEOUT_MILLIS * 3);
    long acknowledged = history.stream().filter(o -> !o.indeterminate()).count();
    assertTrue(acknowledged >= 120, "too few acknowledged operations: " + acknowledged);
    Verdict v = new LinearizabilityChecker().check(history);
    assertTrue(v.linearizable(), () -> what + " " + v + "\n" + cluster.logs());
    ClusterConvergence.requireSameKeysEverywhere(cluster, 20_000);
  }

  private static List<MemberProcess> others(LocalCluster cluster, MemberProcess m) {
    return cluster.members.stream().filter(o -> o != m).toList();
  }

  private static boolean leaderAmong(List<MemberProcess> members) {
    return members.stream().anyMatch(PartitionTest::isLeader);
  }

  private static boolean isLeader(MemberProcess m) {
    return new V2Client(1_000).isLeader(m.clientUrl);
  }
}
