package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules name only metrics the server exports: each metric in an expression must be a
 * Micrometer meter registered in server/http-api sources (plus its exported suffix), or `up`.
 * And the operator guide covers what the issue asks for.
 */
class OperateFilesTest {
  private static final Pattern METRIC = Pattern.compile("\\b(etcd_[a-z_]+)\\b");
  private static final Pattern REGISTERED = Pattern.compile("builder\\(\"([a-z_.]+)\"");

  @Test
  void everyAlertUsesAnExportedMetric() throws IOException {
    final JsonNode rules = new ObjectMapper(new YAMLFactory())
        .readTree(RepoPaths.deploy().resolve("prometheus/alerts.yml").toFile());
    final Set<String> exported = exportedNames();
    int alerts = 0;
    for (JsonNode group : rules.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        alerts++;
        assertTrue(rule.hasNonNull("alert") && rule.hasNonNull("expr"), rule.toString());
        final Matcher metrics = METRIC.matcher(rule.get("expr").asText());
        while (metrics.find()) {
          assertTrue(exported.contains(metrics.group(1)),
              rule.get("alert").asText() + " uses " + metrics.group(1) + ", not exported: " + exported);
        }
      }
    }
    assertTrue(alerts >= 5, "alerts: " + alerts);
  }

  @Test
  void guideCoversBackupRestoreReplacementGrowthAndLogLevels() throws IOException {
    final String guide = Files.readString(RepoPaths.deploy().resolve("OPERATIONS.md"));
    for (String must : List.of("## Backup", "## Restore", "## Replacing a failed member",
        "## Growing from one to three", "--log-level", "member remove", "member add",
        "ETCD_INITIAL_CLUSTER_STATE=existing")) {
      assertTrue(guide.contains(must), "OPERATIONS.md mentions " + must);
    }
  }

  /** Names as the Prometheus registry writes them: dots to underscores, unit and type suffixes. */
  private static Set<String> exportedNames() throws IOException {
    final Set<String> names = new HashSet<>();
    for (String source : List.of("server/src/main/java/io/v2store/server/MemberMetrics.java",
        "server/src/main/java/io/v2store/server/EtcdCompatMetrics.java",
        "server/src/main/java/io/v2store/server/PeerMeters.java",
        "http-api/src/main/java/io/v2store/http/KeysMetrics.java",
        "http-api/src/main/java/io/v2store/http/HttpApiServer.java")) {
      final Matcher registered = REGISTERED.matcher(Files.readString(RepoPaths.repoRoot().resolve(source)));
      while (registered.find()) {
        final String base = registered.group(1).replace('.', '_');
        names.add(base);
        names.add(base + "_total");
        for (String suffix : List.of("_count", "_sum", "_max", "_bucket")) {
          names.add(base + "_seconds" + suffix);
        }
      }
    }
    assertEquals(true, names.contains("etcd_server_is_leader"), "found the server's meters: " + names);
    return names;
  }
}
