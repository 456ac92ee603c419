package io.v2store.http;

import io.v2store.storage.auth.AuthRecords;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import io.v2store.storage.store.RequestApplier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A member without Raft: proposals are applied to a real KeySpace on one single-thread executor,
 * standing in for the apply loop. Knobs let tests stall the "cluster" or make it fail.
 */
final class DirectBackend implements MemberBackend, AutoCloseable {
  static final long CLUSTER_ID = 0x48276a8f75b6a87L;
  static final long MEMBER_ID = 0x2e1259d415f2a040L;

  private final ExecutorService applyThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "test-apply");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong raftIndex = new AtomicLong(10);
  private KeySpace keySpace;
  private RequestApplier applier;
  final List<Member> members = new CopyOnWriteArrayList<>();
  final List<Event> applied = new CopyOnWriteArrayList<>();
  final List<V2Request> proposals = new CopyOnWriteArrayList<>();
  volatile boolean stalled;
  volatile RuntimeException proposeFailure;
  volatile long leaderId = MEMBER_ID;
  volatile boolean leader = true;
  volatile CompletableFuture<Boolean> health = CompletableFuture.completedFuture(true);
  volatile CompletableFuture<String> raftStatus = CompletableFuture.completedFuture(
      "{\"id\":\"1\",\"term\":2,\"vote\":\"1\",\"commit\":5,\"lead\":\"1\",\"raftState\":\"StateLeader\",\"applied\":5,\"progress\":{\"1\":{\"match\":5,\"next\":6,\"state\":\"StateReplicate\"}},\"leadtransferee\":\"0\"}");
  volatile CompletableFuture<Member> addResult;
  volatile CompletableFuture<Void> removeResult = CompletableFuture.completedFuture(null);

  private final int historyCapacity;
  private final AuthRecords auth = new AuthRecords();

  DirectBackend() {
    this(KeySpace.DEFAULT_HISTORY);
  }

  DirectBackend(int historyCapacity) {
    this.historyCapacity = historyCapacity;
    members.add(new Member(MEMBER_ID, "default", List.of("http://127.0.0.1:2380"),
        List.of("http://127.0.0.1:2379", "http://127.0.0.1:12379")));
  }

  /** Built on first use, so tests that never touch keys run without the store. */
  @Override
  public synchronized KeySpace keySpace() {
    if (keySpace == null) {
      keySpace = new KeySpace(historyCapacity);
      applier = new RequestApplier(keySpace);
    }
    return keySpace;
  }

  @Override
  public CompletableFuture<Event> propose(V2Request request) {
    proposals.add(request);
    if (proposeFailure != null) {
      return CompletableFuture.failedFuture(proposeFailure);
    }
    if (stalled) {
      return new CompletableFuture<>();
    }
    keySpace();
    return CompletableFuture.supplyAsync(() -> {
      raftIndex.incrementAndGet();
      if (request.getMethod() == V2Request.Method.AUTH_PUT
          || request.getMethod() == V2Request.Method.AUTH_DELETE) {
        auth.apply(request);
        return null;
      }
      Event e = applier.apply(request);
      applied.add(e);
      return e;
    }, applyThread);
  }

  @Override
  public CompletableFuture<Void> linearizableRead() {
    return stalled ? new CompletableFuture<>() : CompletableFuture.runAsync(() -> {}, applyThread);
  }

  @Override
  public AuthRecords authRecords() {
    return auth;
  }

  @Override
  public long clusterId() {
    return CLUSTER_ID;
  }

  @Override
  public RaftPosition raftPosition() {
    return new RaftPosition(raftIndex.get(), 2);
  }

  @Override
  public long memberId() {
    return MEMBER_ID;
  }

  @Override
  public String memberName() {
    return "default";
  }

  @Override
  public long leaderId() {
    return leaderId;
  }

  @Override
  public List<Member> members() {
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparing(m -> Long.toUnsignedString(m.id(), 16)));
    return sorted;
  }

  @Override
  public CompletableFuture<Member> addMember(List<String> peerUrls) {
    if (addResult != null) {
      return addResult;
    }
    Member m = new Member(0xabcL, "", peerUrls, List.of());
    members.add(m);
    return CompletableFuture.completedFuture(m);
  }

  @Override
  public CompletableFuture<Void> removeMember(long id) {
    return removeResult;
  }

  @Override
  public CompletableFuture<Void> updateMember(long id, List<String> peerUrls) {
    if (id != MEMBER_ID) {
      return CompletableFuture.failedFuture(
          new MembershipException(404, "No such member: " + Long.toHexString(id)));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public SelfStats selfStats() {
    return new SelfStats("default", MEMBER_ID, leader, 1_000, leaderId, 2_000, 3, 4, 0, 0, 1.5, 0);
  }

  @Override
  public LeaderStats leaderStats() {
    if (!leader) {
      return null;
    }
    return new LeaderStats(MEMBER_ID, Map.of(0xbeefL,
        new LeaderStats.Follower(1.5, 2.25, 0.5, 1, 4, 0, 7)));
  }

  @Override
  public CompletableFuture<Boolean> health() {
    return health;
  }

  @Override
  public CompletableFuture<String> raftStatusJson() {
    return raftStatus;
  }

  @Override
  public void close() {
    applyThread.shutdownNow();
  }
}
