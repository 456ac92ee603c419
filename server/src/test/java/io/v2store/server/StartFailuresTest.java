package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data dir the member cannot use stops the start with one line naming it, as etcd's does. */
class StartFailuresTest {
  @TempDir
  Path tmp;

  @Test
  void aDataDirThatIsAFileIsOneLineNotAStackTrace() throws Exception {
    Path data = Files.writeString(tmp.resolve("m.etcd"), "not a directory");
    try (ServerProcess member = new ServerProcess(data, List.of())) {
      member.launch("n1=" + member.peerUrl(), "new");
      assertTrue(member.awaitExit(Duration.ofSeconds(60)), "still running");
      assertEquals(1, member.exitCode());
      String log = member.log();
      assertTrue(log.contains("n1: cannot start: " + data + ": file exists (not a directory?)"), log);
      assertFalse(log.contains("\tat "), "a stack trace: " + log);
    }
  }

  /**
   * A member whose Raft log was removed (member/raft deleted, a disk not mounted under it) must
   * not start afresh under its old identity: alone it served an empty key space, every key it had
   * acknowledged gone; in a cluster it stopped with a stack trace at its leader's first heartbeat.
   */
  /** An https client URL without the certificate's flags: etcd's line, not a stack trace. */
  @Test
  void anHttpsClientUrlWithoutCertificateFlagsIsEtcdsOneLine() throws Exception {
    Path data = tmp.resolve("tls.etcd");
    try (ServerProcess member = new ServerProcess("n1", data, "https", "http", List.of(), null)) {
      member.launch("n1=" + member.peerUrl(), "new");
      assertTrue(member.awaitExit(Duration.ofSeconds(60)), "still running");
      assertEquals(1, member.exitCode());
      String log = member.log();
      assertTrue(log.contains("n1: cannot start: TLS key/cert (--cert-file, --key-file) must be "
          + "provided for client url " + member.clientUrl() + " with HTTPS scheme"), log);
      assertFalse(log.contains("\tat "), "a stack trace: " + log);
    }
  }

  @Test
  void aMemberWhoseRaftLogIsGoneRefusesToStartEmpty() throws Exception {
    Path data = tmp.resolve("m.etcd");
    try (ServerProcess member = new ServerProcess(data, List.of())) {
      member.start();
      assertEquals(201, Http.put(member, "/v2/keys/kept", "value=1").statusCode());
      member.close();
      deleteTree(data.resolve("member").resolve("raft"));

      member.launch("n1=" + member.peerUrl(), "new");
      assertTrue(member.awaitExit(Duration.ofSeconds(30)), "still running: started empty");
      assertEquals(1, member.exitCode());
      String log = member.log();
      assertTrue(log.contains("n1: cannot start: corrupt Raft log in "
          + data.resolve("member").resolve("raft").toAbsolutePath()), log);
      assertTrue(log.contains("is missing"), log);
      assertFalse(log.contains("\tat "), "a stack trace: " + log);
      assertFalse(Files.exists(data.resolve("member").resolve("raft").resolve("db")),
          "nothing is made where the log was");
    }
  }

  /**
   * A member whose whole data dir was lost, started again with the flags it was first started
   * with, must not come back as a voter that forgot its log and its votes (it could elect a leader
   * without writes it had acknowledged): its peers say it has served, and it stops with etcd's
   * line. Debian's etcd 3.4.23: "member 3331554453674a57 has already been bootstrapped", exit 1.
   */
  @Test
  void aWipedMemberOfARunningClusterIsRefusedAsEtcdRefusesIt() throws Exception {
    List<ServerProcess> members = new java.util.ArrayList<>();
    try {
      String initial = ServerProcess.startCluster(tmp, List.of("a", "b"), members);
      ServerProcess b = members.get(1);
      b.kill9();
      deleteTree(tmp.resolve("b"));
      b.launch(initial, "new");
      assertTrue(b.awaitExit(Duration.ofSeconds(30)), "still running: started with an empty log");
      assertEquals(1, b.exitCode());
      String log = b.log();
      assertTrue(log.matches("(?s).*b: cannot start: member [0-9a-f]+ has already been bootstrapped.*"),
          log);
      assertFalse(log.contains("\tat "), "a stack trace: " + log);
    } finally {
      for (ServerProcess p : members) p.close();
    }
  }

  /**
   * --initial-cluster-state existing for a member never added (or added with other peer URLs),
   * or with no member of --initial-cluster answering: one line saying so and exit 1, as etcd's
   * ("error validating peerURLs ...", "cannot fetch cluster info from peer urls ..."), not a
   * stack trace.
   */
  @Test
  void aJoinThatCannotBeMadeIsOneLineNotAStackTrace() throws Exception {
    try (ServerProcess a = new ServerProcess("a", tmp.resolve("a"), List.of());
        ServerProcess b = new ServerProcess("b", tmp.resolve("b"), List.of())) {
      a.start("a=" + a.peerUrl(), "new");
      b.launch("a=" + a.peerUrl() + ",b=" + b.peerUrl(), "existing");
      assertTrue(b.awaitExit(Duration.ofSeconds(30)), "still running");
      assertEquals(1, b.exitCode());
      String log = b.log();
      assertTrue(log.contains("b: cannot start: error validating peerURLs: this member (peer URLs ["
          + b.peerUrl() + "]) is not in the cluster it joins; add it first"), log);
      assertFalse(log.contains("\tat "), "a stack trace: " + log);

      a.close();
      b.launch("a=" + a.peerUrl() + ",b=" + b.peerUrl(), "existing");
      assertTrue(b.awaitExit(Duration.ofSeconds(30)), "still running");
      assertEquals(1, b.exitCode());
      log = b.log();
      assertTrue(log.contains("b: cannot start: cannot fetch cluster info from peer urls: "), log);
      assertFalse(log.contains("\tat "), "a stack trace: " + log);
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
