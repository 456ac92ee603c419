package io.v2store.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.v2store.raft.lin.Command;
import io.v2store.raft.lin.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * After healing: a marker written through the quorum and read back by a quorum get on every
 * member, then every member's local (plain GET) view of the keys must become the same.
 */
final class ClusterConvergence {
  private ClusterConvergence() {}

  static void requireSameKeysEverywhere(LocalCluster cluster, long timeoutMillis) {
    V2Client http = new V2Client(5_000);
    String marker = "marker-" + System.nanoTime();
    MemberProcess first = cluster.members.get(0);
    ClusterPoll.require(timeoutMillis, "the marker write to be acknowledged", () ->
        http.execute(first.clientUrl, "lin-marker", new Command.Set(marker)) instanceof Outcome.Ok);
    for (MemberProcess m : cluster.members) {
      ClusterPoll.require(timeoutMillis, m.name + " to answer a quorum get with the marker", () ->
          new Outcome.Read(marker).equals(http.execute(m.clientUrl, "lin-marker", new Command.Get())));
    }
    List<String> views = new ArrayList<>();
    boolean same = ClusterPoll.until(timeoutMillis, () -> {
      views.clear();
      for (MemberProcess m : cluster.members) views.add(m.name + "=" + localView(http, m));
      return views.stream().map(v -> v.substring(v.indexOf('=') + 1)).distinct().count() == 1;
    });
    if (!same) throw new AssertionError("members hold different keys: " + views);
  }

  /** key -> value of every key under the root, as this member serves it locally. */
  private static String localView(V2Client http, MemberProcess m) {
    try {
      JsonNode root = http.plainList(m.clientUrl);
      TreeMap<String, String> kv = new TreeMap<>();
      for (JsonNode n : root.path("node").path("nodes")) {
        kv.put(n.path("key").asText(), n.path("value").asText());
      }
      return kv.toString();
    } catch (IOException e) {
      return "unreachable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
