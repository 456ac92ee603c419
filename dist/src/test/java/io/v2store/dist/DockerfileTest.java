package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    assertTrue(run.contains("VOLUME [\"/var/lib/v2store\"]"), "data dir is a volume");
    assertTrue(run.contains("EXPOSE 2379 2380"), "client and peer ports");
    assertTrue(run.contains("ENTRYPOINT [\"/opt/v2store/bin/etcd\"]"), "exec-form entrypoint");
    assertTrue(run.stream().filter(l -> l.startsWith("ENV ")).allMatch(
        l -> List.of(l.substring(4).split("\\s+")).stream().allMatch(
            kv -> kv.startsWith("ETCD_") || kv.startsWith("V2STORE_"))), "only ETCD_*/V2STORE_* settings");
  }
}
