package io.v2store.server;

import io.v2store.raft.RaftDetail;
import io.v2store.raft.Role;
import java.util.Map;

/**
 * The Raft state as etcd's raft.Status marshals itself for /debug/vars: ids in hex, the state's
 * Go name, each member's match, next and replication state on the leader. Members in id order
 * (Go's map order is random).
 */
final class RaftStatusJson {
  private RaftStatusJson() {}

  static String format(RaftDetail d) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"id\":\"").append(Long.toHexString(d.id()))
        .append("\",\"term\":").append(d.term())
        .append(",\"vote\":\"").append(Long.toHexString(d.vote()))
        .append("\",\"commit\":").append(d.commit())
        .append(",\"lead\":\"").append(Long.toHexString(d.lead()))
        .append("\",\"raftState\":\"").append(stateName(d.role()))
        .append("\",\"applied\":").append(d.applied())
        .append(",\"progress\":{");
    boolean first = true;
    for (Map.Entry<Long, RaftDetail.PeerProgress> e : d.progress().entrySet()) {
      if (!first) b.append(',');
      first = false;
      RaftDetail.PeerProgress p = e.getValue();
      b.append('"').append(Long.toHexString(e.getKey())).append("\":{\"match\":").append(p.match())
          .append(",\"next\":").append(p.next()).append(",\"state\":\"").append(p.state())
          .append("\"}");
    }
    return b.append("},\"leadtransferee\":\"").append(Long.toHexString(d.leadTransferee()))
        .append("\"}").toString();
  }

  private static String stateName(Role role) {
    return switch (role) {
      case FOLLOWER -> "StateFollower";
      case PRE_CANDIDATE -> "StatePreCandidate";
      case CANDIDATE -> "StateCandidate";
      case LEADER -> "StateLeader";
    };
  }
}
