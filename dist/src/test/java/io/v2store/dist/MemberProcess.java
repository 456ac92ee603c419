package io.v2store.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One single-member cluster started from a release's bin/etcd on free loopback ports. */
final class MemberProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  final Process process;
  final String clientUrl;
  final Path log;
  final List<Integer> ports;

  private MemberProcess(Process process, String clientUrl, Path log, List<Integer> ports) {
    this.process = process;
    this.clientUrl = clientUrl;
    this.log = log;
    this.ports = ports;
  }

  static MemberProcess start(Path releaseHome, Path workDir, Map<String, String> env) {
    return start(releaseHome, workDir, env, FreePorts.take(2));
  }

  /** On the given client and peer ports: a restart on the same data dir takes its first ones. */
  static MemberProcess start(Path releaseHome, Path workDir, Map<String, String> env,
      List<Integer> ports) {
    final String client = "http://127.0.0.1:" + ports.get(0);
    final String peer = "http://127.0.0.1:" + ports.get(1);
    final Path log = workDir.resolve("member.log");
    final ProcessBuilder builder = new ProcessBuilder(
        releaseHome.resolve("bin/etcd").toString(), "--name", "dist",
        "--data-dir", workDir.resolve("dist.etcd").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "dist=" + peer)
        .directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    try {
      return new MemberProcess(builder.start(), client, log, ports);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean healthy() {
    try {
      final HttpResponse<String> response = HTTP.send(
          HttpRequest.newBuilder(URI.create(clientUrl + "/health")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("true");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    Commands.stop(process.toHandle(), 20);
  }
}
