package io.v2store.server;

import io.v2store.http.Member;
import io.v2store.raft.pb.ConfState;
import io.v2store.server.config.ClusterIds;
import io.v2store.server.config.ServerConfig;
import io.v2store.raft.transport.JoinQuery;
import io.v2store.storage.pb.MemberAttributes;
import io.v2store.storage.pb.MemberList;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who is in the cluster at bootstrap, with the ids etcd would derive from the initial cluster
 * and token, so that members agree on them without talking first.
 */
record ClusterLayout(long clusterId, long selfId, List<Member> initialMembers) {

  static ClusterLayout of(ServerConfig config) {
    ClusterIds ids = config.clusterIds();
    List<Member> members = new ArrayList<>();
    for (Map.Entry<String, List<URI>> e : config.initialCluster().entrySet()) {
      long id = ids.memberId(e.getKey());
      // Client URLs arrive through the log when each member publishes itself, so that every
      // member shows the same list; until then etcd lists none either.
      members.add(new Member(id, e.getKey(), strings(e.getValue()), List.of()));
    }
    return new ClusterLayout(ids.clusterId(), config.memberId(), List.copyOf(members));
  }

  /**
   * A member started with --initial-cluster-state existing: the cluster id and the members come
   * from a running member, and this member is the one whose peer URLs were added for it.
   */
  static ClusterLayout joining(ServerConfig config, JoinQuery.Answer answer)
      throws IOException, JoinException {
    MemberList list = MemberList.parseFrom(answer.clusterInfo());
    List<String> ours = strings(config.initialAdvertisePeerUrls());
    List<Member> members = new ArrayList<>();
    long selfId = 0;
    for (MemberAttributes a : list.getMembersList()) {
      members.add(new Member(a.getId(), a.getName(), List.copyOf(a.getPeerUrlsList()),
          List.copyOf(a.getClientUrlsList())));
      if (a.getPeerUrlsList().stream().anyMatch(ours::contains)) selfId = a.getId();
    }
    if (selfId == 0) {
      throw new JoinException("error validating peerURLs: this member (peer URLs " + ours
          + ") is not in the cluster it "
          + "joins; add it first with `etcdctl member add " + config.name() + " "
          + ours.get(0) + "`");
    }
    return new ClusterLayout(answer.clusterId(), selfId, List.copyOf(members));
  }

  ConfState initialConfState() {
    ConfState.Builder voters = ConfState.newBuilder();
    initialMembers.stream().map(Member::id).sorted(Long::compareUnsigned)
        .forEach(voters::addVoters);
    return voters.build();
  }

  private static List<String> strings(List<URI> urls) {
    return urls.stream().map(URI::toString).toList();
  }
}
