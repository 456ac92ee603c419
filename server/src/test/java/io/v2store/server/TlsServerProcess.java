package io.v2store.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Like {@link ServerProcess}, with the scheme of the client and peer URLs chosen (https needs
 * the TLS flags in {@code extraFlags}). Health is polled over the client URL with
 * {@code healthClient}, which must be able to pass the member's client TLS.
 */
final class TlsServerProcess implements AutoCloseable {
  private static final Duration START_DEADLINE = Duration.ofSeconds(60);

  private final String name;
  private final Path dataDir;
  private final Path logFile;
  private final String clientScheme;
  private final String peerScheme;
  private final int clientPort = ServerProcess.freePort();
  private final int peerPort = ServerProcess.freePort();
  private final List<String> extraFlags;
  private final SSLContext healthClient;
  private Process process;

  TlsServerProcess(String name, Path dataDir, String clientScheme, String peerScheme,
      List<String> extraFlags, SSLContext healthClient) throws IOException {
    this.name = name;
    this.dataDir = dataDir;
    this.logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    this.clientScheme = clientScheme;
    this.peerScheme = peerScheme;
    this.extraFlags = List.copyOf(extraFlags);
    this.healthClient = healthClient;
  }

  String clientUrl() {
    return clientScheme + "://127.0.0.1:" + clientPort;
  }

  String peerUrl() {
    return peerScheme + "://127.0.0.1:" + peerPort;
  }

  String name() {
    return name;
  }

  /** Starts the process; returns without waiting (see {@link #awaitHealthy}). */
  TlsServerProcess launch(String initialCluster) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "io.v2store.server.EtcdMain",
        "--name", name, "--data-dir", dataDir.toString(),
        "--listen-client-urls", clientUrl(), "--advertise-client-urls", clientUrl(),
        "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
        "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
        "--initial-cluster-token", "tls-cluster"));
    cmd.addAll(extraFlags);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
    process = pb.start();
    return this;
  }

  /** A single member that is its own cluster, started and serving. */
  TlsServerProcess start() throws Exception {
    launch(name + "=" + peerUrl());
    awaitHealthy();
    return this;
  }

  void awaitHealthy() throws Exception {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
    if (healthClient != null) {
      builder.sslContext(healthClient);
    }
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
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("server not healthy within " + START_DEADLINE + "; log:\n"
        + logTail());
  }

  /** Everything the server wrote so far. */
  String log() throws IOException {
    return Files.exists(logFile) ? Files.readString(logFile) : "";
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Waits, with a deadline, for the process to exit on its own; its exit code or -1. */
  int awaitExit(Duration deadline) throws InterruptedException {
    return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }
}
