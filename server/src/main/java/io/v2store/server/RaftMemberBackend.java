package io.v2store.server;

import io.v2store.http.LeaderStats;
import io.v2store.http.Member;
import io.v2store.http.MemberBackend;
import io.v2store.http.SelfStats;
import io.v2store.raft.RaftStatus;
import io.v2store.raft.Role;
import io.v2store.raft.driver.ProposalDroppedException;
import io.v2store.raft.driver.RaftDriver;
import io.v2store.storage.auth.AuthRecords;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.EtcdException;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The HTTP layer's view of this member, over the Raft driver and the local key space. */
final class RaftMemberBackend implements MemberBackend {
  private static final long HEALTH_READ_TIMEOUT_MILLIS = 1_000;

  private final String name;
  private final long clusterId;
  private final KeySpace keySpace;
  private final RaftDriver driver;
  private final Pending<Event> pending;
  private final WaitingReads reads;
  private final RequestIds ids;
  private final Members members;
  private final AuthRecords auth;
  private final MembershipChanges changes;
  private final long requestTimeoutMillis;
  private final long startMillis;
  private final LeaderTracker leader;
  private final PeerStats peerStats;
  private final Proposals proposals;

  RaftMemberBackend(String name, long clusterId, KeySpace keySpace, RaftDriver driver,
      Pending<Event> pending, WaitingReads reads, RequestIds ids, Members members, AuthRecords auth,
      MembershipChanges changes,
      long requestTimeoutMillis,
      long startMillis, LeaderTracker leader, PeerStats peerStats, Proposals proposals) {
    this.name = name;
    this.clusterId = clusterId;
    this.keySpace = keySpace;
    this.driver = driver;
    this.pending = pending;
    this.reads = reads;
    this.ids = ids;
    this.members = members;
    this.auth = auth;
    this.changes = changes;
    this.requestTimeoutMillis = requestTimeoutMillis;
    this.startMillis = startMillis;
    this.leader = leader;
    this.peerStats = peerStats;
    this.proposals = proposals;
  }

  @Override
  public KeySpace keySpace() {
    return keySpace;
  }

  @Override
  public CompletableFuture<Event> propose(V2Request request) {
    long id = ids.next();
    CompletableFuture<Event> applied = pending.register(id);
    byte[] data = request.toBuilder().setId(id).setProposer(members.selfId()).build()
        .toByteArray();
    proposals.submit(id, () -> driver.propose(data), applied,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis));
    // A write that times out is indeterminate (it may still commit): the client is told it timed
    // out, never that it failed.
    return applied.exceptionallyCompose(RaftMemberBackend::translateTimeout);
  }


  @Override
  public CompletableFuture<Void> linearizableRead() {
    CompletableFuture<Long> index = driver.readIndex();
    if (index.isDone() && !index.isCompletedExceptionally()) {
      return CompletableFuture.completedFuture(null); // the lease's path: nothing to wait for
    }
    CompletableFuture<Void> read = new CompletableFuture<>();
    awaitReadPoint(index, read,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis));
    return reads.track(read);
  }

  /**
   * Completes read once index does. A read whose leader went away before confirming it goes
   * again, to the new leader, while its request has time left: a read may be repeated freely, so
   * a failover costs quorum readers a wait, not an error (etcd answers them "request timed out").
   */
  private void awaitReadPoint(CompletableFuture<Long> index, CompletableFuture<Void> read,
      long deadlineNanos) {
    // No timer here as a rule: the HTTP layer bounds the read by the same request timeout and
    // answers a timeout with the same error (KeysReadHandler, Deadlines); a second timer per
    // read was work done twice on the path the lease makes otherwise free.
    if (!index.isDone() && driver.status().leaderId() == 0) {
      // The exception: with no leader known, the read's round is one nobody answers, and it
      // keeps its reads until they end (ReadIndexBatches); the HTTP layer's timer ends only the
      // answer it waits on, so without this an outage held every quorum read made during it.
      long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      index.orTimeout(Math.max(1, leftMillis), TimeUnit.MILLISECONDS);
    }
    index.whenComplete((applied, error) -> {
      if (error == null) {
        read.complete(null);
      } else if (leaderChanged(error) && !read.isDone() && System.nanoTime() - deadlineNanos < 0) {
        awaitReadPoint(driver.readIndex(), read, deadlineNanos);
      } else {
        read.completeExceptionally(timedOut());
      }
    });
  }

  private static boolean leaderChanged(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return cause instanceof ProposalDroppedException dropped && dropped.leaderChanged();
  }

  private static CompletableFuture<Event> translateTimeout(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (cause instanceof TimeoutException || cause instanceof ProposalDroppedException) {
      return CompletableFuture.failedFuture(timedOut());
    }
    return CompletableFuture.failedFuture(cause);
  }

  private static EtcdException timedOut() {
    return new EtcdException(EtcdError.RAFT_INTERNAL, "etcdserver: request timed out", 0);
  }

  @Override
  public AuthRecords authRecords() {
    return auth;
  }

  @Override
  public long clusterId() {
    return clusterId;
  }

  @Override
  public RaftPosition raftPosition() {
    RaftStatus s = driver.status();
    return new RaftPosition(s.commitIndex(), s.term());
  }

  @Override
  public CompletableFuture<String> raftStatusJson() {
    return driver.detail().thenApply(RaftStatusJson::format);
  }

  @Override
  public long memberId() {
    return members.selfId();
  }

  @Override
  public String memberName() {
    return name;
  }

  @Override
  public long leaderId() {
    return driver.status().leaderId();
  }

  @Override
  public List<Member> members() {
    return members.list();
  }

  @Override
  public CompletableFuture<Member> addMember(List<String> peerUrls) {
    return changes.add(peerUrls);
  }

  @Override
  public CompletableFuture<Void> removeMember(long id) {
    return changes.remove(id);
  }

  @Override
  public CompletableFuture<Void> updateMember(long id, List<String> peerUrls) {
    return changes.update(id, peerUrls);
  }

  @Override
  public SelfStats selfStats() {
    RaftStatus s = driver.status();
    double[] rates = peerStats.rates();
    return new SelfStats(name, members.selfId(), s.role() == Role.LEADER, startMillis,
        s.leaderId(), leader.leaderSinceMillis(), peerStats.recvAppendRequests(),
        peerStats.sendAppendRequests(), rates[0], rates[1], rates[2], rates[3]);
  }

  @Override
  public LeaderStats leaderStats() {
    RaftStatus s = driver.status();
    if (s.role() != Role.LEADER) return null;
    List<Long> followers = members.list().stream().map(Member::id)
        .filter(id -> id != members.selfId()).toList();
    return peerStats.leaderStats(members.selfId(), followers);
  }

  @Override
  public CompletableFuture<Boolean> health() {
    if (driver.status().leaderId() == 0) return CompletableFuture.completedFuture(false);
    return driver.readIndex()
        .orTimeout(HEALTH_READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .handle((index, error) -> error == null);
  }
}
