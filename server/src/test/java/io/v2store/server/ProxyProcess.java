package io.v2store.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Our server in --proxy on mode, run as its own process by a test; stopped by its pid. */
final class ProxyProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final String url;
  final Process process;
  private final Path log;

  private ProxyProcess(String url, Process process, Path log) {
    this.url = url;
    this.process = process;
    this.log = log;
  }

  /** Starts it listening on url, the members given by bootstrap (--initial-cluster or --discovery). */
  static ProxyProcess launch(Path dir, String url, List<String> bootstrap) throws IOException {
    return launch(dir, url, "on", bootstrap);
  }

  /** The same with --proxy mode (on or readonly). */
  static ProxyProcess launch(Path dir, String url, String mode, List<String> bootstrap)
      throws IOException {
    return launch(dir, url, mode, bootstrap, java.util.Map.of());
  }

  /** The same with environment variables added to this JVM's. */
  static ProxyProcess launch(Path dir, String url, String mode, List<String> bootstrap,
      java.util.Map<String, String> environment) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.library.path=" + System.getProperty("java.library.path"),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "io.v2store.server.EtcdMain", "--proxy", mode, "--name", "p",
        "--data-dir", dir.resolve("proxy").toString(), "--listen-client-urls", url));
    command.addAll(bootstrap);
    Path log = dir.resolve("proxy.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().remove("NOTIFY_SOCKET");
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new ProxyProcess(url, process, log);
  }

  /** The answer to GET path through the proxy, once it listens (a deadline of 60 s). */
  HttpResponse<String> get(String path) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (process.isAlive() && Instant.now().isBefore(deadline)) {
      try {
        // bounded: a member that takes the request and hangs must not hang the test
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the proxy does not answer; log:\n" + Files.readString(log));
  }

  /** Waits until the proxy relays to a member (its /version answers 200). */
  ProxyProcess awaitServing() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (get("/version").statusCode() == 200) return this;
      Thread.sleep(100);
    }
    throw new IllegalStateException("the proxy reaches no member; log:\n" + Files.readString(log));
  }

  /** Everything the proxy wrote so far. */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
