package io.v2store.http;

import io.v2store.storage.auth.AuthRecords;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP layer needs from the running member. The server implements it over Raft; tests
 * implement it over a bare {@link KeySpace}. Futures complete on some other thread; they fail with
 * {@link io.v2store.storage.store.EtcdException} for store errors (e.g. 300 on timeout) and with
 * {@link MembershipException} for members-API errors.
 */
public interface MemberBackend {

  /** The local key space: plain GETs and watches are served from it directly. */
  KeySpace keySpace();

  /**
   * Replicates a write and completes with its event once applied on this member. The request's id
   * is assigned by the backend; whatever id the caller set is ignored.
   */
  CompletableFuture<Event> propose(V2Request request);

  /**
   * Completes once this member's key space reflects every write committed before the call
   * (ReadIndex): after that, a local read is linearizable.
   */
  CompletableFuture<Void> linearizableRead();

  /**
   * The v2 auth records as this member has applied them; changed only through {@link #propose}
   * of AUTH_PUT/AUTH_DELETE, whose future completes with a null event.
   */
  AuthRecords authRecords();

  /** The etcd-derived cluster id, for X-Etcd-Cluster-Id. */
  long clusterId();

  /** The raft commit index and term, for X-Raft-Index / X-Raft-Term. */
  RaftPosition raftPosition();

  long memberId();

  String memberName();

  /** The known leader's id, 0 when there is none. */
  long leaderId();

  /** Members sorted by id. */
  List<Member> members();

  CompletableFuture<Member> addMember(List<String> peerUrls);

  CompletableFuture<Void> removeMember(long id);

  CompletableFuture<Void> updateMember(long id, List<String> peerUrls);

  SelfStats selfStats();

  /** null when this member is not the leader (the HTTP layer answers 403). */
  LeaderStats leaderStats();

  /** /health: a leader is known and a linearizable read completes promptly. */
  CompletableFuture<Boolean> health();

  /**
   * /debug/vars: the Raft state as etcd's raft.Status prints itself in JSON (member ids in hex,
   * each member's match and next on the leader), taken by the holder of the Raft core.
   */
  CompletableFuture<String> raftStatusJson();

  /** The raft commit index and term at the moment of asking. */
  record RaftPosition(long index, long term) {}
}
