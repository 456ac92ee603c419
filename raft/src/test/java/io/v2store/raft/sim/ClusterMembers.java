package io.v2store.raft.sim;

import io.v2store.raft.RaftStatus;
import io.v2store.raft.Role;
import java.util.ArrayList;
import java.util.List;

/** The simulated members, by id (1..n; members added at run time get the next ids). */
final class ClusterMembers {
  private final List<KvNode> nodes = new ArrayList<>();
  private final long seed;
  private long nextId;

  ClusterMembers(int size, long seed) {
    this.seed = seed;
    long[] ids = new long[size];
    for (int i = 0; i < size; i++) ids[i] = i + 1;
    for (long id : ids) nodes.add(new KvNode(id, ids, seed));
    nextId = size + 1L;
  }

  List<KvNode> all() {
    return nodes;
  }

  KvNode byId(long id) {
    for (KvNode n : nodes) if (n.id == id) return n;
    return null;
  }

  /** An id for a member about to be proposed; never reused, even if the proposal is lost. */
  long reserveId() {
    return nextId++;
  }

  /**
   * Starts a member whose addition just committed, with an empty log and the configuration that
   * includes it, as an operator starts etcd's joining member after {@code member add} returned.
   */
  void startJoined(long id, java.util.List<Long> voters) {
    if (byId(id) != null) return;
    nodes.add(new KvNode(id, voters.stream().mapToLong(Long::longValue).toArray(), seed));
  }

  /** The up leader of the highest term, or null. */
  KvNode leader() {
    KvNode best = null;
    long bestTerm = -1;
    for (KvNode n : nodes) {
      if (!n.up) continue;
      RaftStatus s = n.raft.status();
      if (s.role() == Role.LEADER && s.term() > bestTerm) {
        best = n;
        bestTerm = s.term();
      }
    }
    return best;
  }

  String statuses() {
    StringBuilder sb = new StringBuilder();
    for (KvNode n : nodes) {
      sb.append(n.id).append(':').append(n.removed ? "removed" : n.up ? n.raft.status() : "down")
          .append(" voters=").append(n.confState.getVotersList()).append(' ');
    }
    return sb.toString();
  }
}
