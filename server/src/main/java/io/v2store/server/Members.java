package io.v2store.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.http.Member;
import io.v2store.raft.driver.SnapshotTurn;
import io.v2store.raft.pb.ConfChange;
import io.v2store.storage.pb.MemberAttributes;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The cluster's members as /v2/members shows them: seeded from the initial cluster, then changed
 * only by committed entries (configuration changes and members publishing their attributes), so
 * every member shows the same list. Written by the apply thread, read by any.
 */
final class Members {
  private final long selfId;
  private final ConcurrentSkipListMap<Long, Member> byId =
      new ConcurrentSkipListMap<>(Long::compareUnsigned);
  /** Ids removed from the cluster: they may never come back (etcd answers 410 for them). */
  private final Set<Long> removed = ConcurrentHashMap.newKeySet();

  Members(long selfId, List<Member> initial) {
    this.selfId = selfId;
    for (Member m : initial) byId.put(m.id(), m);
  }

  long selfId() {
    return selfId;
  }

  /** Sorted by id (as unsigned numbers), as etcd lists them. */
  List<Member> list() {
    return new ArrayList<>(byId.values());
  }

  /**
   * This member's rank among the members by id, and how many there are (the same list on every
   * member, as of the same applied entry): whose turn it is to write a snapshot.
   */
  SnapshotTurn snapshotTurn() {
    List<Member> all = list();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).id() == selfId) return new SnapshotTurn(i, all.size());
    }
    return SnapshotTurn.ALONE; // not (or no longer) a member: nobody to take turns with
  }

  Member get(long id) {
    return byId.get(id);
  }

  boolean isRemoved(long id) {
    return removed.contains(id);
  }

  /** Every id removed from the cluster so far. */
  java.util.Set<Long> removedIds() {
    return java.util.Set.copyOf(removed);
  }

  /** A member announced its name and client URLs. */
  void publish(MemberAttributes attributes) {
    byId.computeIfPresent(attributes.getId(), (id, m) -> new Member(id, attributes.getName(),
        m.peerUrls(), List.copyOf(attributes.getClientUrlsList())));
  }

  /** Applies a committed configuration change; returns the member it concerns. */
  Member apply(ConfChange change) {
    switch (change.getType()) {
      case CONF_CHANGE_REMOVE_NODE -> {
        removed.add(change.getNodeId());
        return byId.remove(change.getNodeId());
      }
      case CONF_CHANGE_ADD_NODE, CONF_CHANGE_ADD_LEARNER_NODE -> {
        MemberAttributes a = attributes(change);
        Member added = new Member(change.getNodeId(), a.getName(),
            List.copyOf(a.getPeerUrlsList()), List.copyOf(a.getClientUrlsList()));
        byId.putIfAbsent(added.id(), added);
        return byId.get(added.id());
      }
      case CONF_CHANGE_UPDATE_NODE -> {
        MemberAttributes a = attributes(change);
        return byId.computeIfPresent(change.getNodeId(), (id, m) -> new Member(id, m.name(),
            List.copyOf(a.getPeerUrlsList()), m.clientUrls()));
      }
      default -> throw new IllegalStateException("unknown conf change " + change.getType());
    }
  }

  static MemberAttributes attributes(ConfChange change) {
    try {
      return MemberAttributes.parseFrom(change.getContext());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt member in conf change " + change.getId(), e);
    }
  }

  static MemberAttributes toAttributes(Member m) {
    return MemberAttributes.newBuilder().setId(m.id()).setName(m.name())
        .addAllPeerUrls(m.peerUrls()).addAllClientUrls(m.clientUrls()).build();
  }

  /** The list a joining member is given (see ClusterLayout.joining). */
  byte[] toMemberList() {
    io.v2store.storage.pb.MemberList.Builder list = io.v2store.storage.pb.MemberList.newBuilder();
    for (Member m : list()) list.addMembers(toAttributes(m));
    return list.build().toByteArray();
  }

  void write(DataOutputStream out) throws IOException {
    List<Member> all = list();
    out.writeInt(all.size());
    for (Member m : all) {
      byte[] bytes = toAttributes(m).toByteArray();
      out.writeInt(bytes.length);
      out.write(bytes);
    }
    out.writeInt(removed.size());
    for (long id : removed) out.writeLong(id);
  }

  void read(DataInputStream in) throws IOException {
    byId.clear();
    removed.clear();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      MemberAttributes a = MemberAttributes.parseFrom(bytes);
      byId.put(a.getId(), new Member(a.getId(), a.getName(), List.copyOf(a.getPeerUrlsList()),
          List.copyOf(a.getClientUrlsList())));
    }
    int removedCount = in.readInt();
    for (int i = 0; i < removedCount; i++) removed.add(in.readLong());
  }
}
