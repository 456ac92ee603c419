package io.v2store.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.v2store.http.Member;
import io.v2store.raft.transport.PeerHttp;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The peer port's HTTP answers, in etcd's JSON: GET /members (what etcd's --proxy reads to find
 * the cluster's client URLs) and GET /version.
 */
final class PeerPortAnswers implements PeerHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Members members;
  private final long clusterId;

  PeerPortAnswers(Members members, long clusterId) {
    this.members = members;
    this.clusterId = clusterId;
  }

  @Override
  public Optional<String> get(String path) {
    return switch (path) {
      case "/members" -> Optional.of(members());
      case "/version" -> Optional.of("{\"etcdserver\":\"" + Version.SERVER
          + "\",\"etcdcluster\":\"" + Version.CLUSTER + "\"}");
      default -> Optional.empty();
    };
  }

  @Override
  public long clusterId() {
    return clusterId;
  }

  private String members() {
    ArrayNode list = JSON.createArrayNode();
    for (Member m : members.list()) {
      ObjectNode node = list.addObject();
      node.put("id", new BigInteger(Long.toUnsignedString(m.id()))); // a number, unsigned
      m.peerUrls().forEach(node.putArray("peerURLs")::add);
      // etcd's struct omits an empty name and client URLs: a member added but not yet started
      if (!m.name().isEmpty()) node.put("name", m.name());
      if (!m.clientUrls().isEmpty()) m.clientUrls().forEach(node.putArray("clientURLs")::add);
    }
    return list.toString();
  }
}
