package io.v2store.raft.transport;

import java.util.Optional;

/**
 * What the peer port answers over plain HTTP, besides the peer protocol: etcd serves GET /members
 * and /version there, and etcd's own tools read them from a peer URL (a proxy started with
 * {@code --proxy on} learns the cluster's client URLs from /members).
 */
public interface PeerHttp {
  /** The JSON body for GET path, or empty for a 404. */
  Optional<String> get(String path);

  /** The cluster id, sent as X-Etcd-Cluster-Id with every answer. */
  long clusterId();

  PeerHttp NONE = new PeerHttp() {
    @Override
    public Optional<String> get(String path) {
      return Optional.empty();
    }

    @Override
    public long clusterId() {
      return 0;
    }
  };
}
