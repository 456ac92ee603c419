package io.v2store.server;

import io.v2store.http.Member;
import io.v2store.raft.pb.ConfChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The cluster's members as /v2/members shows them. Seeded from the initial cluster; this member's
 * client URLs are its own advertised ones. Changed by committed configuration changes.
 */
final class Members {
  private final long selfId;
  private final ConcurrentSkipListMap<Long, Member> byId = new ConcurrentSkipListMap<>(
      Long::compareUnsigned);

  Members(long selfId, List<Member> initial) {
    this.selfId = selfId;
    for (Member m : initial) byId.put(m.id(), m);
  }

  long selfId() {
    return selfId;
  }

  Member self() {
    return byId.get(selfId);
  }

  /** Sorted by id, as etcd lists them. */
  List<Member> list() {
    return new ArrayList<>(byId.values());
  }

  Member get(long id) {
    return byId.get(id);
  }

  void apply(ConfChange change) {
    switch (change.getType()) {
      case CONF_CHANGE_REMOVE_NODE -> byId.remove(change.getNodeId());
      default -> {
        // Adding and updating members is the cluster work; a single member never sees these.
      }
    }
  }
}
