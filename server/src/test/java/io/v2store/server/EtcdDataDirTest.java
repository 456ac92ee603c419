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

/**
 * Our binary put in place of etcd's on etcd's data dir (its member/wal and member/snap): a new
 * member started there would serve no keys where etcd's were. The start is refused, pointing to
 * --import-from, and the data dir is left as it was.
 */
class EtcdDataDirTest {
  @TempDir
  Path tmp;

  @Test
  void anEtcdDataDirIsNotTakenForAnEmptyOne() throws Exception {
    Path data = tmp.resolve("default.etcd");
    Files.createDirectories(data.resolve("member").resolve("wal"));
    Files.createDirectories(data.resolve("member").resolve("snap"));
    Files.writeString(data.resolve("member").resolve("wal").resolve("0000000000000000-0000000000000000.wal"), "x");
    Files.writeString(data.resolve("member").resolve("snap").resolve("db"), "x");
    try (ServerProcess member = new ServerProcess(data, List.of())) {
      member.launch("n1=" + member.peerUrl(), "new");
      assertTrue(member.awaitExit(Duration.ofSeconds(60)), "the start must stop");
      assertEquals(1, member.exitCode());
      String log = member.log();
      assertTrue(log.contains("the data dir " + data + " holds an etcd member's data (member/wal, member/snap)"), log);
      assertTrue(log.contains("--import-from"), log);
      assertFalse(log.contains("\tat "), "one line, no stack trace:\n" + log);
    }
    try (var files = Files.list(data.resolve("member"))) {
      assertEquals(List.of("snap", "wal"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "nothing written to etcd's data dir");
    }
  }

  @Test
  void anEtcdDataDirIsNotServedAsAProxys() throws Exception {
    // etcd starts the member its data dir holds whatever --proxy says; a proxy started here
    // would serve none of its keys, and the proxy/cluster it wrote would make etcd refuse the
    // data dir afterwards ("Both member and proxy directories exist").
    Path data = tmp.resolve("default.etcd");
    Files.createDirectories(data.resolve("member").resolve("wal"));
    Files.createDirectories(data.resolve("member").resolve("snap"));
    Files.writeString(data.resolve("member").resolve("wal").resolve("0000000000000000-0000000000000000.wal"), "x");
    Files.writeString(data.resolve("member").resolve("snap").resolve("db"), "x");
    try (ServerProcess member = new ServerProcess(data, List.of("--proxy", "on"))) {
      member.launch("n1=" + member.peerUrl(), "new");
      assertTrue(member.awaitExit(Duration.ofSeconds(60)), "the start must stop");
      assertEquals(1, member.exitCode());
      String log = member.log();
      assertTrue(log.contains("the data dir " + data + " holds an etcd member's data (member/wal, member/snap)"), log);
      assertTrue(log.contains("--import-from"), log);
      assertFalse(log.contains("\tat "), "one line, no stack trace:\n" + log);
    }
    try (var files = Files.list(data)) {
      assertEquals(List.of("member"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "nothing written to etcd's data dir");
    }
  }

  @Test
  void etcdsOwnWalDirIsNotTakenForAnEmptyOne() throws Exception {
    // etcd run with --wal-dir (ETCD_WAL_DIR kept in /etc/default/etcd) and a new --data-dir for
    // ours: a new member there would start empty with its log among etcd's WAL files.
    Path data = tmp.resolve("new.etcd");
    Path wal = tmp.resolve("etcd-wal");
    Files.createDirectories(wal);
    Files.writeString(wal.resolve("0000000000000000-0000000000000000.wal"), "x");
    try (ServerProcess member = new ServerProcess(data, List.of("--wal-dir", wal.toString()))) {
      member.launch("n1=" + member.peerUrl(), "new");
      assertTrue(member.awaitExit(Duration.ofSeconds(60)), "the start must stop");
      assertEquals(1, member.exitCode());
      String log = member.log();
      assertTrue(log.contains("the wal dir " + wal + " holds an etcd member's WAL"), log);
      assertTrue(log.contains("--import-from"), log);
      assertFalse(log.contains("\tat "), "one line, no stack trace:\n" + log);
    }
    try (var files = Files.list(wal)) {
      assertEquals(List.of("0000000000000000-0000000000000000.wal"),
          files.map(p -> p.getFileName().toString()).toList(), "nothing written to etcd's WAL dir");
    }
  }

  @Test
  void aWalDirInEtcdsPlaceForItIsOurs() throws Exception {
    // --wal-dir <data>/member/wal, where etcd keeps its WAL: a first start that stops before the
    // member exists (here: joining a cluster that is not there) leaves that directory behind,
    // and the next start is no etcd data dir for it.
    Path data = tmp.resolve("m.etcd");
    Path wal = data.resolve("member").resolve("wal");
    try (ServerProcess member = new ServerProcess(data, List.of("--wal-dir", wal.toString()))) {
      member.launch("n1=" + member.peerUrl() + ",n2=http://127.0.0.1:1", "existing");
      assertTrue(member.awaitExit(Duration.ofSeconds(60)), "a join with no cluster to join must stop");
    }
    assertTrue(Files.isDirectory(wal));
    try (ServerProcess member = new ServerProcess(data, List.of("--wal-dir", wal.toString()))) {
      member.start();
      assertFalse(member.log().contains("holds an etcd member's data"), member.log());
    }
  }
}
