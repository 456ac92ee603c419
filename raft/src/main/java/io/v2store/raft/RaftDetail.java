package io.v2store.raft;

import java.util.Map;

/**
 * The core in full, as etcd's raft.Status shows it on /debug/vars: unlike {@link RaftStatus} it
 * is taken by the holder of the core on request, since the leader's progress per member changes
 * with every acknowledgement.
 *
 * @param progress per member, on the leader only (empty elsewhere, as in etcd)
 */
public record RaftDetail(long id, long term, long vote, long lead, Role role, long commit,
    long applied, Map<Long, PeerProgress> progress, long leadTransferee) {

  /** @param state etcd's name for how the leader replicates to the member: StateProbe, ... */
  public record PeerProgress(long match, long next, String state) {}

  /** The other member whose log matches the leader's furthest, or 0 when there is none. */
  public long mostCaughtUpFollower() {
    long best = 0;
    long bestMatch = -1;
    for (Map.Entry<Long, PeerProgress> p : progress.entrySet()) {
      if (p.getKey() != id && p.getValue().match() > bestMatch) {
        best = p.getKey();
        bestMatch = p.getValue().match();
      }
    }
    return best;
  }
}
