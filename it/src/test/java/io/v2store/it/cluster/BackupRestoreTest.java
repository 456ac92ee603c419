package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.v2store.etcdctl.Main;
import io.v2store.etcdctl.cli.Io;
import io.v2store.raft.lin.Command;
import io.v2store.raft.lin.Outcome;
import io.v2store.testkit.LoopbackPorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disaster recovery as deploy/OPERATIONS.md tells it: `etcdctl backup` of a member that is
 * running and taking writes, the whole cluster lost, the backup started with
 * --force-new-cluster. The restored member must be a one-member cluster that holds every write
 * acknowledged before the backup began, take new writes, and stay alone once restarted without
 * the flag.
 */
class BackupRestoreTest {
  @TempDir Path tmp;

  private static int backup(Path dataDir, Path backupDir, StringBuilder err) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(errBytes, true, StandardCharsets.UTF_8),
        new ByteArrayInputStream(new byte[0]), Map.of("ETCDCTL_API", "2"), false);
    int code = Main.run(new String[] {"backup", "--data-dir", dataDir.toString(),
        "--backup-dir", backupDir.toString()}, io);
    io.flush();
    err.append(errBytes.toString(StandardCharsets.UTF_8));
    return code;
  }

  private static int memberCount(MemberProcess m) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var req = java.net.http.HttpRequest.newBuilder(m.clientUrl.resolve("/v2/members")).build();
    String body = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("members").size();
  }

  private static Map<String, String> keysUnder(V2Client client, MemberProcess m) throws Exception {
    Map<String, String> found = new HashMap<>();
    for (JsonNode node : client.plainList(m.clientUrl).path("node").path("nodes")) {
      found.put(node.path("key").asText().substring(1), node.path("value").asText());
    }
    return found;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aRunningMembersBackupRestoresAsOneMemberWithEveryWriteAcknowledgedBeforeIt()
      throws Exception {
    assumeTrue(MemberProcess.serverAvailable(), "server module not on the class path");
    Path backupDir = tmp.resolve("restored").resolve("data");
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    Map<String, String> beforeBackup;
    String backedUp;
    try (LocalCluster cluster = new LocalCluster(3)) {
      MemberProcess leader = cluster.awaitLeader(10_000);
      MemberProcess follower = cluster.members.stream().filter(m -> m != leader).findFirst()
          .orElseThrow();
      backedUp = follower.name;
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer = new Thread(() -> {
        V2Client client = new V2Client(3_000);
        for (int i = 0; i < 20_000 && !stop.get(); i++) {
          String key = "k" + i;
          if (client.execute(leader.clientUrl, key, new Command.Set("v" + i)) == Outcome.OK) {
            acknowledged.put(key, "v" + i);
          }
        }
      }, "writer");
      writer.start();
      try {
        ClusterPoll.require(30_000, "200 writes", () -> acknowledged.size() >= 200);
        beforeBackup = Map.copyOf(acknowledged);
        StringBuilder err = new StringBuilder();
        assertEquals(0, backup(follower.dataDir(), backupDir, err), err.toString());
        assertTrue(err.toString().contains("of the running member"), err.toString());
        int atBackup = acknowledged.size();
        ClusterPoll.require(30_000, "writes after the backup",
            () -> acknowledged.size() >= atBackup + 100);
        assertTrue(follower.alive() && leader.alive(), cluster.logs());
      } finally {
        stop.set(true);
        writer.join(10_000);
      }
      try (var copies = Files.list(follower.dataDir().resolve("member/backup"))) {
        assertEquals(List.of("sock"), copies.map(p -> p.getFileName().toString()).toList(),
            "the member's copy is gone once etcdctl is done with it");
      }
    }

    int clientPort = LoopbackPorts.next();
    int peerPort = LoopbackPorts.next();
    MemberProcess restored = new MemberProcess(backedUp, clientPort, peerPort,
        backupDir.getParent());
    String self = backedUp + "=" + restored.peerUrl;
    V2Client client = new V2Client(3_000);
    try {
      restored.launch(self, "restore", 50, 500, List.of("--force-new-cluster"));
      ClusterPoll.require(40_000, "the restored member healthy",
          () -> restored.alive() && client.healthy(restored.clientUrl));
      assertEquals(1, memberCount(restored), restored.logTail(3000));
      Map<String, String> found = keysUnder(client, restored);
      beforeBackup.forEach((key, value) ->
          assertEquals(value, found.get(key), key + " was acknowledged before the backup"));
      assertEquals(Outcome.OK, client.execute(restored.clientUrl, "after", new Command.Set("1")));
      assertTrue(restored.logTail(100_000).contains("--force-new-cluster: a one-member cluster"));

      restored.terminate(10_000);
      restored.launch(self, "restore", 50, 500);
      ClusterPoll.require(40_000, "the restored member healthy again without the flag",
          () -> restored.alive() && client.healthy(restored.clientUrl));
      assertEquals(1, memberCount(restored), restored.logTail(3000));
      assertEquals("1", keysUnder(client, restored).get("after"));
    } finally {
      restored.kill9();
    }
  }
}
