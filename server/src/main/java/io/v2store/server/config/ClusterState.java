package io.v2store.server.config;

/** {@code --initial-cluster-state}: bootstrap a new cluster or join an existing one. */
public enum ClusterState {
    NEW,
    EXISTING
}
