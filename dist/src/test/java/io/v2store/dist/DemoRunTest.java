package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/demo/run.sh end to end, from the unpacked release: three members, two backends with TTL
 * heartbeats, nginx following /app/server through exec-watch, a backend stopped, the leader
 * killed. The script checks each step itself; here its exit code and last line are asserted.
 */
class DemoRunTest {

  @Test
  void demoReplaysTheArticleAndEndsWithOk() {
    final boolean ci = System.getenv("CI") != null;
    for (String tool : List.of("nginx", "python3", "curl")) {
      final boolean present = Commands.onPath(tool) || (tool.equals("nginx") && java.nio.file.Files
          .isExecutable(java.nio.file.Path.of("/usr/sbin/nginx")));
      // In CI, .ci/run installs them: a missing tool there is a failure, not a skip.
      if (ci) {
        assertTrue(present, tool + " is missing; .ci/run should install it");
      } else {
        assumeTrue(present, tool + " is not installed; the demo needs it");
      }
    }
    final Commands.Result demo = Commands.run(RepoPaths.repoRoot(),
        Map.of("V2STORE_HOME", UnpackedRelease.home().toString(), "DEMO_TIMEOUT_SECONDS", "115"),
        150, "bash", RepoPaths.deploy().resolve("demo/run.sh").toString());
    final List<String> lines = demo.output().lines().toList();
    assertEquals(0, demo.exitCode(), demo.output());
    assertEquals("OK", lines.get(lines.size() - 1), demo.output());
    assertTrue(demo.output().contains("nginx follows after"), demo.output());
    assertTrue(demo.output().contains("a new leader was elected"), demo.output());
  }
}
