package io.v2store.server;

import com.google.protobuf.ByteString;
import io.v2store.http.Member;
import io.v2store.http.MembershipException;
import io.v2store.raft.driver.RaftDriver;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.server.config.ClusterIds;
import io.v2store.storage.pb.MemberAttributes;
import io.v2store.storage.pb.V2Request;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongPredicate;
import java.util.logging.Logger;

/**
 * Changes to who is in the cluster, one at a time, through configuration-change entries; and
 * this member's announcement of its own name and client URLs. Under etcd's
 * --strict-reconfig-check a change is refused before it is proposed when the cluster could not
 * take it: an addition unless every member is connected (as etcd: a new member that is slow to
 * start must not be what stands between the cluster and its quorum), a removal that would leave
 * too few of the remaining members running.
 */
final class MembershipChanges {
  private static final Logger LOG = Logger.getLogger("etcd");

  private final RaftDriver driver;
  private final Members members;
  private final Pending<Member> pending;
  private final RequestIds ids;
  /** Whether this member is connected to the peer of that id (the peer transport's view). */
  private final LongPredicate connected;
  private final long timeoutMillis;
  private final Clock clock;
  private final Proposals proposals;
  private final boolean strictReconfigCheck;

  MembershipChanges(RaftDriver driver, Members members, Pending<Member> pending, RequestIds ids,
      LongPredicate connected, long timeoutMillis, Clock clock, Proposals proposals,
      boolean strictReconfigCheck) {
    this.driver = driver;
    this.members = members;
    this.pending = pending;
    this.ids = ids;
    this.connected = connected;
    this.timeoutMillis = timeoutMillis;
    this.clock = clock;
    this.proposals = proposals;
    this.strictReconfigCheck = strictReconfigCheck;
  }

  /**
   * Proposes this member's attributes until they are applied; etcd retries the same way. Through
   * Proposals, as a client's write: a cluster's members start before it has a leader, and a
   * proposal the core dropped for want of one used to wait out the whole request timeout (7 s
   * with the defaults) before it was made again, so a new cluster served clients 7 s late.
   */
  void publish(String name, List<String> clientUrls) throws InterruptedException {
    MemberAttributes self = MemberAttributes.newBuilder().setId(members.selfId()).setName(name)
        .addAllClientUrls(clientUrls).build();
    while (true) {
      long id = ids.next();
      CompletableFuture<Member> applied = pending.register(id);
      byte[] data = V2Request.newBuilder().setId(id).setProposer(members.selfId())
          .setMethod(V2Request.Method.PUBLISH)
          .setMember(self).build().toByteArray();
      proposals.submit(id, () -> driver.propose(data), applied, deadline());
      try {
        applied.get(timeoutMillis, TimeUnit.MILLISECONDS);
        LOG.info(() -> name + ": published " + clientUrls + " to the cluster");
        return;
      } catch (ExecutionException | TimeoutException e) {
        applied.cancel(false);
        LOG.warning(() -> name + ": could not publish attributes yet (no quorum?); retrying");
      }
    }
  }

  CompletableFuture<Member> add(List<String> peerUrls) {
    MembershipException refused = peerUrlsInUse(0, peerUrls);
    if (refused == null && strictReconfigCheck && !everyMemberConnected()) {
      refused = unhealthy();
    }
    if (refused != null) return CompletableFuture.failedFuture(refused);
    // etcd derives an added member's id from its peer URLs and the time of adding.
    long memberId = ClusterIds.memberId(peerUrls.stream().map(URI::create).toList(),
        Long.toString(clock.millis() / 1000));
    MemberAttributes attributes = MemberAttributes.newBuilder().setId(memberId)
        .addAllPeerUrls(peerUrls).build();
    return propose(ConfChangeType.CONF_CHANGE_ADD_NODE, memberId, attributes);
  }

  CompletableFuture<Void> remove(long memberId) {
    MembershipException refused = unknown(memberId);
    if (refused == null && strictReconfigCheck
        && !quorumRunningWithout(memberId)) {
      refused = unhealthy();
    }
    if (refused != null) return CompletableFuture.failedFuture(refused);
    return propose(ConfChangeType.CONF_CHANGE_REMOVE_NODE, memberId,
        MemberAttributes.newBuilder().setId(memberId).build()).thenApply(m -> null);
  }

  CompletableFuture<Void> update(long memberId, List<String> peerUrls) {
    MembershipException refused = unknown(memberId);
    if (refused == null) refused = peerUrlsInUse(memberId, peerUrls);
    if (refused != null) return CompletableFuture.failedFuture(refused);
    return propose(ConfChangeType.CONF_CHANGE_UPDATE_NODE, memberId,
        MemberAttributes.newBuilder().setId(memberId).addAllPeerUrls(peerUrls).build())
        .thenApply(m -> null);
  }

  private CompletableFuture<Member> propose(ConfChangeType type, long memberId,
      MemberAttributes attributes) {
    long id = ids.next();
    CompletableFuture<Member> applied = pending.register(id);
    MemberAttributes context = attributes.toBuilder().setProposer(members.selfId()).build();
    ConfChange change = ConfChange.newBuilder().setId(id).setType(type).setNodeId(memberId)
        .setContext(ByteString.copyFrom(context.toByteArray())).build();
    proposals.submit(id, () -> driver.proposeConfChange(change), applied, deadline());
    return applied.exceptionallyCompose(e -> CompletableFuture.failedFuture(
        e instanceof MembershipException m ? m : internalError()));
  }

  /**
   * etcd's test before an addition: this member and a connection to every peer. etcd also wants
   * each connection up for 5 s; a member that restarted a moment ago counts here. In a cluster of
   * one this holds, which is how a cluster started alone, or restored from a backup with
   * --force-new-cluster, grows.
   */
  private boolean everyMemberConnected() {
    return members.list().stream().map(Member::id)
        .allMatch(id -> id == members.selfId() || connected.test(id));
  }

  /**
   * Whether, without the member removed, a quorum of the voters left would be running: this
   * member and every peer we are connected to. etcd's test but for one case: etcd lets a member
   * that is down go whatever the rest, and the change then waits for a quorum that is not
   * running; here it is refused at once.
   */
  private boolean quorumRunningWithout(long removing) {
    int votersAfter = members.list().size() - 1;
    long running = members.list().stream().map(Member::id)
        .filter(id -> id != removing)
        .filter(id -> id == members.selfId() || connected.test(id))
        .count();
    return running >= votersAfter / 2 + 1;
  }

  private MembershipException unknown(long memberId) {
    if (members.isRemoved(memberId)) {
      return new MembershipException(410, "Member permanently removed: " + hex(memberId));
    }
    if (members.get(memberId) == null) {
      return new MembershipException(404, "No such member: " + hex(memberId));
    }
    return null;
  }

  private MembershipException peerUrlsInUse(long except, List<String> peerUrls) {
    for (Member m : members.list()) {
      if (m.id() == except) continue;
      for (String url : peerUrls) {
        if (m.peerUrls().contains(url)) {
          return new MembershipException(409, "membership: peerURL exists");
        }
      }
    }
    return null;
  }

  private static MembershipException unhealthy() {
    // etcd answers a change that would lose quorum with its generic 500.
    return new MembershipException(500, "Internal Server Error");
  }

  /** A proposal made now ends by this System.nanoTime, applied or not (Proposals). */
  private long deadline() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  private static MembershipException internalError() {
    return new MembershipException(500, "Internal Server Error");
  }

  private static String hex(long id) {
    return Long.toHexString(id);
  }
}
