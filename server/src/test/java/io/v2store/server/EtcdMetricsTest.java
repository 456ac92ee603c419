package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics as dashboards and alerts written for etcd read it: the same requests sent to Debian's
 * etcd and to ours leave the same v2 API counters (etcd_http_received_total and
 * etcd_http_failed_total by method and code, the store's writes by action), and every series
 * those tools query exists on both, histograms with buckets.
 */
class EtcdMetricsTest {
  /** What etcd's alerts and dashboards query, by the name of the line they read. */
  private static final List<String> QUERIED = List.of("etcd_server_has_leader",
      "etcd_server_is_leader", "etcd_server_leader_changes_seen_total",
      "etcd_server_proposals_failed_total", "etcd_server_proposals_pending",
      "etcd_server_proposals_committed_total", "etcd_server_proposals_applied_total",
      "etcd_disk_wal_fsync_duration_seconds_bucket", "etcd_disk_wal_fsync_duration_seconds_sum",
      "etcd_http_received_total", "etcd_http_failed_total",
      "etcd_http_successful_duration_seconds_bucket", "etcd_debugging_store_reads_total",
      "etcd_debugging_store_writes_total", "etcd_debugging_store_watchers",
      "etcd_debugging_store_expires_total", "etcd_debugging_store_watch_requests_total",
      "etcd_server_id", "etcd_server_version", "etcd_cluster_version",
      "process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds",
      "process_max_fds", "process_start_time_seconds");

  /**
   * Families etcd 3.4 exports on a one-member cluster that ours does not, by name or prefix, and
   * why. Every other family of etcd's must be ours too, so a dashboard's query finds a series.
   */
  private static final Map<String, String> NOT_HERE = Map.ofEntries(
      Map.entry("go_", "the Go runtime's (/debug/vars gives the JVM's heap in memstats' names)"),
      Map.entry("etcd_server_go_version", "the Go runtime's"),
      Map.entry("promhttp_", "Prometheus's Go client library's own"),
      Map.entry("grpc_", "the v3 API's gRPC, not served"),
      Map.entry("etcd_grpc_proxy_", "the v3 API's gRPC, not served"),
      Map.entry("etcd_network_client_grpc_", "the v3 API's gRPC, not served"),
      Map.entry("etcd_mvcc_", "the v3 backend, which a v2 store has not"),
      Map.entry("etcd_debugging_mvcc_", "the v3 backend"),
      Map.entry("etcd_disk_backend_", "the v3 backend"),
      Map.entry("etcd_debugging_disk_backend_", "the v3 backend"),
      Map.entry("etcd_disk_defrag_inflight", "the v3 backend"),
      Map.entry("etcd_snap_db_", "the v3 backend's snapshot"),
      Map.entry("etcd_server_quota_backend_bytes", "the v3 backend's quota"),
      Map.entry("etcd_debugging_lease_", "v3 leases"),
      Map.entry("etcd_debugging_server_lease_expired_total", "v3 leases"),
      Map.entry("etcd_debugging_auth_revision", "v3 auth"),
      Map.entry("etcd_server_learner_promote_successes", "learners join through the v3 API"),
      Map.entry("etcd_debugging_snap_save_marshalling_duration_seconds",
          "a snapshot here is written as it is encoded: its time is the _total_ one"));

  @TempDir
  Path tmp;

  @Test
  void everyFamilyEtcdExportsIsOursUnlessSaidWhyNot() throws Exception {
    try (ServerProcess ours = new ServerProcess(tmp.resolve("n1"), List.of()).start();
        DebianEtcd etcd = DebianEtcd.member(tmp, "e")) {
      for (String base : List.of(ours.clientUrl(), etcd.clientUrl)) {
        exercise(base);
        // one more successful health check counted, on either
        double before = scrape(base).get("etcd_server_health_success");
        send(HttpClient.newHttpClient(), "GET", base + "/health", null);
        assertEquals(before + 1, scrape(base).get("etcd_server_health_success"), base);
      }
      Map<String, String> mine = families(ours.clientUrl());
      Map<String, String> theirs = families(etcd.clientUrl);
      List<String> missing = theirs.keySet().stream()
          .filter(name -> !mine.containsKey(name))
          .filter(name -> NOT_HERE.keySet().stream().noneMatch(name::startsWith))
          .toList();
      assertEquals(List.of(), missing, "etcd's families we do not export");
      // histograms stay histograms: dashboards take their quantiles from the buckets
      theirs.forEach((name, type) -> {
        if (type.equals("histogram") && mine.containsKey(name)) {
          assertEquals("histogram", mine.get(name), name);
        }
      });
      // each exclusion still names something etcd exports (a stale one would hide nothing)
      for (String excluded : NOT_HERE.keySet()) {
        assertTrue(theirs.keySet().stream().anyMatch(name -> name.startsWith(excluded)),
            excluded + " is not among etcd's families");
      }
    }
  }

  @Test
  void theSameRequestsLeaveTheSameCountersAsInEtcd() throws Exception {
    try (ServerProcess ours = new ServerProcess(tmp.resolve("n1"), List.of()).start();
        DebianEtcd etcd = DebianEtcd.member(tmp, "e")) {
      // etcd keeps its members in its own keys: counted from here on, only our requests count
      Map<String, Double> mineBefore = scrape(ours.clientUrl());
      Map<String, Double> theirsBefore = scrape(etcd.clientUrl);
      for (String base : List.of(ours.clientUrl(), etcd.clientUrl)) {
        exercise(base);
      }
      Map<String, Double> mine = scrape(ours.clientUrl());
      Map<String, Double> theirs = scrape(etcd.clientUrl);
      for (String name : QUERIED) {
        assertTrue(has(theirs, name), "etcd no longer exports " + name);
        assertTrue(has(mine, name), "we do not export " + name);
      }
      for (String family : List.of("etcd_http_received_total", "etcd_http_failed_total",
          "etcd_debugging_store_writes_total", "etcd_debugging_store_watch_requests_total")) {
        assertEquals(growth(theirsBefore, theirs, family), growth(mineBefore, mine, family),
            family);
      }
      for (String family : List.of("etcd_server_version", "etcd_cluster_version")) {
        assertEquals(growth(Map.of(), theirs, family), growth(Map.of(), mine, family), family);
      }
      assertEquals(1.0, mine.get("etcd_server_has_leader"));
      // one member, one election: one leader seen, as etcd counts (not each role change)
      assertEquals(theirs.get("etcd_server_leader_changes_seen_total"),
          mine.get("etcd_server_leader_changes_seen_total"));
      // the v2 API's histogram counts what succeeded: GET, QGET, PUT, HEAD, POST, the CAS
      assertEquals(theirs.get("etcd_http_successful_duration_seconds_count{method=\"PUT\"}"),
          mine.get("etcd_http_successful_duration_seconds_count{method=\"PUT\"}"));
    }
  }

  /** PUT, GET, quorum GET, a 404, a 412, a HEAD, a POST, a CAS, a watch answered from history,
   * and a request that does not parse (counted nowhere). */
  private static void exercise(String base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    send(http, "PUT", base + "/v2/keys/m/a", "value=1");
    send(http, "GET", base + "/v2/keys/m/a", null);
    send(http, "GET", base + "/v2/keys/m/a?quorum=true", null);
    send(http, "GET", base + "/v2/keys/m/missing", null);
    send(http, "PUT", base + "/v2/keys/m/a?prevExist=false", "value=2");
    send(http, "HEAD", base + "/v2/keys/m/a", null);
    send(http, "POST", base + "/v2/keys/m/queue", "value=job");
    send(http, "PUT", base + "/v2/keys/m/a?prevValue=1", "value=3");
    send(http, "DELETE", base + "/v2/keys/m/a?prevValue=nope", null);
    send(http, "GET", base + "/v2/keys/m/a?wait=true&waitIndex=1", null);
    send(http, "PUT", base + "/v2/keys/m/b?ttl=abc", "value=1");
  }

  private static void send(HttpClient http, String method, String url, String form)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    b.method(method, form == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(form));
    http.send(b.build(), HttpResponse.BodyHandlers.discarding());
  }

  /** Every sample line: "name{labels}" (labels sorted, as written) to its value. */
  private static Map<String, Double> scrape(String base) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> samples = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int space = line.lastIndexOf(' ');
      samples.put(normalise(line.substring(0, space)), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** Each family's name (its "# TYPE" line) to its type. */
  private static Map<String, String> families(String base) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, String> families = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        families.put(parts[2], parts[3]);
      }
    }
    return families;
  }

  /** Labels in name order, so that both exporters' lines compare. */
  private static String normalise(String series) {
    int brace = series.indexOf('{');
    if (brace < 0) return series;
    String labels = series.substring(brace + 1, series.length() - 1);
    return series.substring(0, brace) + "{" + java.util.Arrays.stream(labels.split(","))
        .sorted().collect(Collectors.joining(",")) + "}";
  }

  private static boolean has(Map<String, Double> samples, String name) {
    return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
  }

  /** How much each series of the family grew (a series first seen grew from 0); none: left out. */
  private static Map<String, Double> growth(Map<String, Double> before,
      Map<String, Double> after, String family) {
    Map<String, Double> grown = new TreeMap<>();
    after.forEach((series, value) -> {
      if (!series.equals(family) && !series.startsWith(family + "{")) return;
      double by = value - before.getOrDefault(series, 0.0);
      if (by != 0) grown.put(series, by);
    });
    return grown;
  }
}
