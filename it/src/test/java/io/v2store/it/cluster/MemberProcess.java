package io.v2store.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One of our server processes in a three-member cluster, started from this test's class path on
 * loopback ports. It can be SIGKILLed, SIGTERMed, SIGSTOPped/SIGCONTed and restarted on the same
 * data directory and ports.
 */
final class MemberProcess {
  static final String MAIN_CLASS = "io.v2store.server.EtcdMain";

  /** Whether the server module is on the test class path (it is, but for a harness-only run). */
  static boolean serverAvailable() {
    try {
      Class.forName(MAIN_CLASS, false, MemberProcess.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  final String name;
  final URI clientUrl;
  final URI peerUrl;
  /** What the others are told to call: the peer port itself, or a relay in front of it. */
  final URI advertisedPeerUrl;
  private final Path dir;
  private Process process;

  MemberProcess(String name, int clientPort, int peerPort, Path dir) {
    this(name, clientPort, peerPort, peerPort, dir);
  }

  MemberProcess(String name, int clientPort, int peerPort, int advertisedPeerPort, Path dir) {
    this.name = name;
    this.clientUrl = URI.create("http://127.0.0.1:" + clientPort);
    this.peerUrl = URI.create("http://127.0.0.1:" + peerPort);
    this.advertisedPeerUrl = URI.create("http://127.0.0.1:" + advertisedPeerPort);
    this.dir = dir;
  }

  void launch(String initialCluster, String token, long heartbeatMillis, long electionMillis) {
    launch(initialCluster, token, heartbeatMillis, electionMillis, List.of());
  }

  /** With more flags after the usual ones (--force-new-cluster, ...). */
  void launch(String initialCluster, String token, long heartbeatMillis, long electionMillis,
      List<String> moreFlags) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.library.path=" + System.getProperty("java.library.path"),
        "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.addAll(io.v2store.it.ServerJvm.options());
    command.addAll(List.of("-cp", io.v2store.it.ServerJvm.classPath(),
        MAIN_CLASS, "--name", name, "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", clientUrl.toString(), "--advertise-client-urls", clientUrl.toString(),
        "--listen-peer-urls", peerUrl.toString(),
        "--initial-advertise-peer-urls", advertisedPeerUrl.toString(),
        "--initial-cluster", initialCluster, "--initial-cluster-token", token,
        "--initial-cluster-state", "new",
        "--heartbeat-interval", Long.toString(heartbeatMillis),
        "--election-timeout", Long.toString(electionMillis)));
    command.addAll(moreFlags);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
    try {
      Files.createDirectories(dir);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  Path log() {
    return dir.resolve(name + ".log");
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook runs; waits (bounded) for the exit. */
  void kill9() {
    sendKill9();
    awaitExit();
  }

  /**
   * SIGKILL without waiting, so that several members can be killed within a moment of each other
   * (a power cut), not one after another's exit.
   */
  void sendKill9() {
    if (alive()) process.destroyForcibly();
  }

  void awaitExit() {
    if (process == null) return;
    ClusterPoll.require(10_000, name + " to die after SIGKILL", () -> !process.isAlive());
  }

  /** SIGTERM and a bounded wait; SIGKILL if the graceful stop hangs. */
  void terminate(long graceMillis) {
    if (!alive()) return;
    process.destroy();
    if (!ClusterPoll.until(graceMillis, () -> !process.isAlive())) kill9();
  }

  void pause() {
    signal("STOP");
  }

  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
      ClusterPoll.require(5_000, "kill -" + name, () -> !kill.isAlive());
      if (kill.exitValue() != 0) throw new AssertionError("kill -" + name + " " + pid() + " failed");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logTail(int maxChars) {
    try {
      String text = Files.exists(log()) ? Files.readString(log()) : "";
      return text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
