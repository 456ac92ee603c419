package io.v2store.raft.core;

/** How the leader replicates to one follower. */
enum ProgressState {
  /** One AppendEntries at a time until the follower's match index is found. */
  PROBE,
  /** Pipelining: AppendEntries go out without waiting, bounded by {@link Inflights}. */
  REPLICATE,
  /** A snapshot is on its way; nothing else is sent until it is reported. */
  SNAPSHOT;

  /** As etcd's raft names it in its status (/debug/vars). */
  String etcdName() {
    return switch (this) {
      case PROBE -> "StateProbe";
      case REPLICATE -> "StateReplicate";
      case SNAPSHOT -> "StateSnapshot";
    };
  }
}
