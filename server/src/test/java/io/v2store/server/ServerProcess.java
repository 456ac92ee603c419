package io.v2store.server;

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

/**
 * Our server as a real child process on 127.0.0.1 free ports, started from the test classpath.
 * Stopped by pid; the data dir survives restarts.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration START_DEADLINE = Duration.ofSeconds(60);

  private final String name;
  private final Path dataDir;
  private final Path logFile;
  private final int clientPort;
  private int peerPort;
  private final List<String> extraFlags;
  private final String clientScheme;
  private final String peerScheme;
  private final javax.net.ssl.SSLContext healthClient;
  private final java.util.Map<String, String> environment = new java.util.HashMap<>();
  /** Words put before the java command: a parent process of the test's own (see withParent). */
  private List<String> parent = List.of();
  private Process process;

  /** A single member named n1 that is its own cluster. */
  ServerProcess(Path dataDir, List<String> extraFlags) {
    this("n1", dataDir, extraFlags);
  }

  /** A member whose cluster flags come with {@link #start(String, String)}. */
  ServerProcess(String name, Path dataDir, List<String> extraFlags) {
    this(name, dataDir, "http", "http", extraFlags, null);
  }

  /**
   * A member whose client and peer URLs use the schemes given (https needs the TLS flags in
   * extraFlags); healthClient, if not null, is how the health poll passes the client TLS.
   */
  ServerProcess(String name, Path dataDir, String clientScheme, String peerScheme,
      List<String> extraFlags, javax.net.ssl.SSLContext healthClient) {
    this.clientScheme = clientScheme;
    this.peerScheme = peerScheme;
    this.healthClient = healthClient;
    this.name = name;
    this.dataDir = dataDir;
    this.logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    this.clientPort = LoopbackPorts.next();
    this.peerPort = LoopbackPorts.next();
    this.extraFlags = extraFlags;
  }

  String clientUrl() {
    return clientScheme + "://127.0.0.1:" + clientPort;
  }

  /** For `member update`: the next start listens for peers on a new port. */
  String movePeerPort() {
    peerPort = LoopbackPorts.next();
    return peerUrl();
  }

  String peerUrl() {
    return peerScheme + "://127.0.0.1:" + peerPort;
  }

  long pid() {
    return process.pid();
  }

  ServerProcess start() throws Exception {
    return start(name + "=" + peerUrl(), "new");
  }

  /**
   * Starts members of one cluster in parallel: each waits for a quorum before it serves clients,
   * so one at a time would never finish.
   */
  static void startTogether(List<ServerProcess> members, String initialCluster)
      throws Exception {
    List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> starters = new ArrayList<>();
    for (ServerProcess p : members) {
      Thread t = new Thread(() -> {
        try {
          p.start(initialCluster, "new");
        } catch (Exception e) {
          failures.add(e);
        }
      });
      t.start();
      starters.add(t);
    }
    for (Thread t : starters) t.join();
    if (!failures.isEmpty()) throw failures.get(0);
  }

  /**
   * Starts members of the given names (data dirs under dir) as one new cluster, adding them to
   * into; returns their --initial-cluster.
   */
  static String startCluster(Path dir, List<String> names, List<ServerProcess> into)
      throws Exception {
    return startCluster(dir, names, List.of(), into);
  }

  /** As above, every member with the same extra flags. */
  static String startCluster(Path dir, List<String> names, List<String> flags,
      List<ServerProcess> into) throws Exception {
    for (String name : names) into.add(new ServerProcess(name, dir.resolve(name), flags));
    String initial = String.join(",", into.stream().map(p -> p.name + "=" + p.peerUrl()).toList());
    startTogether(into, initial);
    return initial;
  }

  String name() {
    return name;
  }

  /**
   * Runs the server as the child of this command (which is given the java command line as its
   * arguments), for a test that must see what only a parent sees: how its child ended.
   */
  ServerProcess withParent(List<String> command) {
    parent = List.copyOf(command);
    return this;
  }

  /** The process started: the server's, or the parent's given to withParent. */
  ProcessHandle processHandle() {
    return process.toHandle();
  }

  /** An environment variable for the next starts (the ETCD_* ones of this JVM are never passed). */
  ServerProcess withEnvironment(String key, String value) {
    environment.put(key, value);
    return this;
  }

  /** Starts (or restarts) the process and waits until it serves clients. */
  ServerProcess start(String initialCluster, String initialClusterState) throws Exception {
    launch(initialCluster, initialClusterState);
    awaitHealthy();
    return this;
  }

  /** Starts (or restarts) the process without waiting for it (see {@link #awaitHealthy}). */
  ServerProcess launch(String initialCluster, String initialClusterState) throws IOException {
    return launchWith(List.of("--initial-cluster", initialCluster,
        "--initial-cluster-state", initialClusterState));
  }

  /** As {@link #launch}, bootstrapping through the discovery directory at url instead. */
  ServerProcess launchWithDiscovery(String url) throws IOException {
    return launchWith(List.of("--discovery", url));
  }

  private ServerProcess launchWith(List<String> bootstrap) throws IOException {
    List<String> cmd = new ArrayList<>(parent);
    cmd.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.library.path=" + System.getProperty("java.library.path"),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "io.v2store.server.EtcdMain",
        "--name", name, "--data-dir", dataDir.toString(),
        "--listen-client-urls", clientUrl(), "--advertise-client-urls", clientUrl(),
        "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
        "--initial-cluster-token", "test-cluster"));
    cmd.addAll(bootstrap);
    cmd.addAll(extraFlags);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_") || k.equals("NOTIFY_SOCKET"));
    pb.environment().putAll(environment);
    process = pb.start();
    return this;
  }

  void awaitHealthy() throws Exception {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
    if (healthClient != null) builder.sslContext(healthClient);
    HttpClient client = builder.build();
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue()
            + "; log:\n" + logTail());
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create(clientUrl() + "/health")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    // Stopped here, not by the caller: a start that fails inside a try-with-resources header
    // leaves no resource to close, and the process would outlive the test (seen once).
    process.destroyForcibly();
    process.waitFor();
    throw new IllegalStateException("server not healthy within " + START_DEADLINE + "; log:\n"
        + logTail());
  }

  /** Everything the server wrote so far. */
  String log() throws IOException {
    return java.nio.file.Files.exists(logFile) ? java.nio.file.Files.readString(logFile) : "";
  }

  /** The last lines the server wrote, for a failure message that explains itself. */
  String logTail() {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** The member among members that says it leads, or null if none does. */
  static ServerProcess leaderAmong(List<ServerProcess> members) {
    return members.stream().filter(ServerProcess::leads).findFirst().orElse(null);
  }

  /** Whether this member says it leads (its /v2/stats/self); false if it does not answer. */
  boolean leads() {
    try {
      HttpRequest stats = HttpRequest.newBuilder(URI.create(clientUrl() + "/v2/stats/self"))
          .timeout(Duration.ofSeconds(5)).build();
      return HttpClient.newHttpClient().send(stats, HttpResponse.BodyHandlers.ofString()).body()
          .contains("\"state\":\"StateLeader\"");
    } catch (Exception notAnswering) {
      return false;
    }
  }

  /** Sends a signal by name ("STOP", "CONT"): a pause as a long collection or a stalled VM. */
  void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
    if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The exit status of a process that has exited. */
  int exitCode() {
    return process.exitValue();
  }

  /** Waits, with a deadline, for the process to exit on its own. */
  boolean awaitExit(Duration deadline) throws InterruptedException {
    return process.waitFor(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && !parent.isEmpty()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) kill9();
    }
  }
}
