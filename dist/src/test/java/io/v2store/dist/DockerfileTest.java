package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/container/Dockerfile, without a docker engine: linted by dockerfile-utils where it is
 * installed (.ci/run installs it from npm), and checked for what the image must be.
 */
class DockerfileTest {
  private static final Path DOCKERFILE = RepoPaths.deploy().resolve("container/Dockerfile");

  /** Instructions with continuation lines joined and comments dropped. */
  private static List<String> instructions() throws IOException {
    final String joined = Files.readString(DOCKERFILE).replaceAll("\\\\\\n", " ");
    return joined.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  @Test
  void lintsCleanWhereALinterIsInstalled() {
    final boolean present = Commands.onPath("dockerfile-utils");
    if (System.getenv("CI") != null) {
      assertTrue(present, "dockerfile-utils is missing; .ci/run should install it");
    }
    assumeTrue(present, "dockerfile-utils is not installed (npm install -g dockerfile-utils)");
    final Commands.Result lint = Commands.run(DOCKERFILE.getParent(), Map.of(), 60,
        "dockerfile-utils", "lint", "Dockerfile");
    assertEquals(0, lint.exitCode(), lint.output());
    assertEquals("", lint.output().strip(), "lint output");
  }

  @Test
  void multiStageBuildRunsTheReleaseOnAJreAsNonRoot() throws IOException {
    final List<String> lines = instructions();
    final List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(2, froms.size(), "two stages: " + froms);
    assertTrue(froms.get(0).startsWith("FROM maven:") && froms.get(0).endsWith(" AS build"), froms.get(0));
    assertTrue(froms.get(1).contains("-jre"), "runs on a JRE image: " + froms.get(1));
    final List<String> run = lines.subList(lines.indexOf(froms.get(1)), lines.size());
    assertTrue(run.stream().anyMatch(l -> l.startsWith("COPY --from=build /release ")), "copies the release");
    assertTrue(lines.stream().anyMatch(l -> l.contains("mvn ") && l.contains("package")), "builds with Maven");
    assertTrue(run.contains("USER v2store"), "runs as a non-root user");
    assertTrue(run.indexOf("RUN /opt/v2store/bin/etcdctl --version") > 0
            && run.indexOf("RUN /opt/v2store/bin/etcdctl --version") < run.indexOf("USER v2store"),
        "etcdctl's first run, which makes its class-data archive in lib/, is root's, before USER");
    assertTrue(run.contains("VOLUME [\"/var/lib/v2store\"]"), "data dir is a volume");
    assertTrue(run.contains("EXPOSE 2379 2380"), "client and peer ports");
    assertTrue(run.contains("ENTRYPOINT [\"/opt/v2store/bin/etcd\"]"), "exec-form entrypoint");
    assertTrue(run.stream().filter(l -> l.startsWith("ENV ")).allMatch(
        l -> List.of(l.substring(4).split("\\s+")).stream().allMatch(
            kv -> kv.startsWith("ETCD_") || kv.startsWith("V2STORE_"))), "only ETCD_*/V2STORE_* settings");
  }

  /**
   * The health check is about this container's member: a member that has a leader is healthy even
   * while another member of its cluster is down (an orchestrator replaces unhealthy containers, and
   * replacing the healthy members of a degraded cluster would take its quorum away).
   */
  @Test
  void healthCheckAsksThisMemberAloneWhetherItHasALeader() throws IOException {
    final String healthcheck = instructions().stream().filter(l -> l.startsWith("HEALTHCHECK "))
        .findFirst().orElseThrow();
    final String[] exec = new ObjectMapper().readValue(
        healthcheck.substring(healthcheck.indexOf("CMD ") + 4), String[].class);
    final int dead = FreePorts.take(1).get(0);
    final HttpServer member = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    final int port = member.getAddress().getPort();
    final String[] health = {"true"};
    member.createContext("/health", x -> answer(x, "{\"health\":\"" + health[0] + "\"}"));
    // Two members: this one, and one that is down (nothing listens on its client URL).
    member.createContext("/v2/members", x -> answer(x, "{\"members\":["
        + "{\"id\":\"8e9e05c52164694d\",\"name\":\"m1\",\"peerURLs\":[\"http://127.0.0.1:2380\"],"
        + "\"clientURLs\":[\"http://127.0.0.1:" + port + "\"]},"
        + "{\"id\":\"91bc3c398fb3c146\",\"name\":\"m2\",\"peerURLs\":[\"http://127.0.0.1:2381\"],"
        + "\"clientURLs\":[\"http://127.0.0.1:" + dead + "\"]}]}"));
    member.start();
    try {
      final List<String> command = new ArrayList<>();
      for (String arg : exec) {
        command.add(arg.replace("/opt/v2store", UnpackedRelease.home().toString())
            .replace("127.0.0.1:2379", "127.0.0.1:" + port).replace("127.0.0.1/2379", "127.0.0.1/" + port));
      }
      // etcdctl's default endpoint is the container's own client port, here the stand-in's.
      final Map<String, String> env = Map.of("ETCDCTL_ENDPOINTS", "http://127.0.0.1:" + port);
      final Commands.Result healthy = Commands.run(Path.of("."), env, 30, command.toArray(String[]::new));
      assertEquals(0, healthy.exitCode(), "a member with a leader, another member down: " + healthy.output());
      health[0] = "false";
      final Commands.Result leaderless = Commands.run(Path.of("."), env, 30, command.toArray(String[]::new));
      assertTrue(leaderless.exitCode() != 0, "a member without a leader is unhealthy: " + leaderless.output());
    } finally {
      member.stop(0);
    }
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
    final byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(json.contains("\"false\"") ? 503 : 200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
