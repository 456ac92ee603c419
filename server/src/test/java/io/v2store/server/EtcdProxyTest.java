package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.v2store.testkit.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's v2 proxy (etcd --proxy on, as CoreOS worker machines ran it) in front of a cluster of
 * ours: it reads GET /members from a peer URL to find the client URLs, then forwards clients.
 */
class EtcdProxyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void etcdsProxyFindsOurClusterThroughItsPeerUrls() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try {
      String initial = ServerProcess.startCluster(tmp, List.of("a", "b", "c"), all);

      // The peer port's /members, as etcd's proxy reads it.
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> members = http.send(HttpRequest.newBuilder(
          URI.create(all.get(0).peerUrl() + "/members")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, members.statusCode());
      JsonNode list = JSON.readTree(members.body());
      assertEquals(3, list.size(), members.body());
      for (JsonNode m : list) {
        assertTrue(m.get("id").isNumber() && m.get("clientURLs").size() == 1, m.toString());
      }

      String proxy = "http://127.0.0.1:" + LoopbackPorts.next();
      try (DebianEtcd etcd = DebianEtcd.start(tmp.resolve("proxy.log"), proxy, List.of(
          "--proxy", "on", "--name", "a", "--data-dir", tmp.resolve("proxy").toString(),
          "--initial-cluster", initial))) {
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(
                URI.create(proxy + "/v2/keys/through/proxy"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString("value=hello")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        for (ServerProcess member : all) {
          String body = Http.get(member, "/v2/keys/through/proxy?quorum=true").body();
          assertTrue(body.contains("\"value\":\"hello\""), member.name() + ": " + body);
        }
      }
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }
}
