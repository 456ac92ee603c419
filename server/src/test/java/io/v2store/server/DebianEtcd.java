package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
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

/**
 * Debian's etcd 3.4 (/usr/bin/etcd, which .ci/run installs), started by a test with the flags it
 * gives, on loopback; ready once its client URL answers /version (a member's with its cluster's
 * version decided); stopped by its pid.
 */
final class DebianEtcd implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/etcd");

  final String clientUrl;
  /** Its peer URL, for a single member started by {@link #member}; null for a proxy. */
  String peerUrl;
  private final Process process;

  private DebianEtcd(String clientUrl, Process process) {
    this.clientUrl = clientUrl;
    this.process = process;
  }

  /** A single-member cluster of its own, named name, with the v2 API, in dir/name. */
  static DebianEtcd member(Path dir, String name) throws Exception {
    String client = "http://127.0.0.1:" + LoopbackPorts.next();
    String peer = "http://127.0.0.1:" + LoopbackPorts.next();
    DebianEtcd etcd = start(dir.resolve(name + ".log"), client, List.of("--enable-v2=true",
        "--name", name, "--data-dir", dir.resolve(name).toString(), "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer, "--initial-cluster", name + "=" + peer));
    etcd.peerUrl = peer;
    return etcd;
  }

  static DebianEtcd start(Path log, String clientUrl, List<String> flags) throws Exception {
    assertTrue(Files.isExecutable(BINARY), "needs Debian's etcd-server (.ci/run installs it)");
    List<String> command = new ArrayList<>(List.of(BINARY.toString(),
        "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl));
    command.addAll(flags);
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    DebianEtcd etcd = new DebianEtcd(clientUrl, process);
    // A member answers /version before it has decided its cluster's version ("not_decided" for
    // a moment after its start): a test comparing answers with ours, which knows its own at
    // once, waits until it has. A proxy's answer is its members'.
    boolean member = !flags.contains("--proxy");
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      try {
        HttpResponse<String> version = http.send(HttpRequest.newBuilder(
            URI.create(clientUrl + "/version")).build(), HttpResponse.BodyHandlers.ofString());
        if (version.statusCode() == 200
            && !(member && version.body().contains("\"etcdcluster\":\"not_decided\""))) {
          return etcd;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    etcd.close();
    throw new IllegalStateException("etcd did not come up; log:\n" + Files.readString(log));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
