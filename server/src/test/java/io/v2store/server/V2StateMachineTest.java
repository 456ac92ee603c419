package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.v2store.http.Member;
import io.v2store.raft.SnapshotInput;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import io.v2store.storage.auth.AuthRecords;
import io.v2store.storage.pb.MemberAttributes;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.Action;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import io.v2store.storage.store.NodeView;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replicated state machine: a request proposed twice is applied once, snapshot or not. */
class V2StateMachineTest {

  private static final MembershipListener NO_MEMBERSHIP = new MembershipListener() {
    @Override
    public void added(Member member) {}

    @Override
    public void updated(Member member) {}

    @Override
    public void removed(long id) {}
  };

  private static V2StateMachine machine(KeySpace keySpace, Pending<Event> writes) {
    return new V2StateMachine(keySpace, writes, new Pending<>(),
        new Members(1, List.of(new Member(1, "a", List.of("http://a:2380"), List.of()))),
        new AuthRecords(), NO_MEMBERSHIP, () -> 1_000_000_000_000L);
  }

  private static ByteString post(long id) {
    return V2Request.newBuilder().setId(id).setMethod(V2Request.Method.POST).setPath("/queue")
        .setValue("job").build().toByteString();
  }

  @Test
  void aReproposedRequestIsAppliedOnceAndAnsweredOnce() {
    KeySpace keySpace = new KeySpace(100);
    Pending<Event> writes = new Pending<>();
    V2StateMachine sm = machine(keySpace, writes);
    CompletableFuture<Event> answer = writes.register(42);
    sm.applyEntry(1, post(42));
    sm.applyEntry(2, post(42)); // the same request, committed a second time
    assertEquals(1, keySpace.index(), "the duplicate must not change the store");
    assertTrue(answer.isDone());
    assertEquals(1, answer.join().index());
  }

  /**
   * Members whose ids share their low 16 bits (here the ids that 127.0.0.1:46380 and :47380 get
   * with the cluster token clash6837) draw request ids from one range: the member started a
   * millisecond earlier reaches the other's first id after 256 requests. Its request with that id
   * is still applied, and answered with its own result, not the other member's.
   */
  @Test
  void anotherMembersRequestWithTheSameIdIsNeitherACopyNorItsAnswer() {
    long self = 0x0dc577d360074f2fL;
    long other = 0xc8663a5649964f2fL;
    RequestIds early = new RequestIds(self, 1_000_000L);
    RequestIds late = new RequestIds(other, 1_000_001L);
    for (int i = 0; i < 256; i++) early.next();
    long id = early.next();
    assertEquals(late.next(), id, "the premise: both members drew this id");

    KeySpace keySpace = new KeySpace(100);
    Pending<Event> writes = new Pending<>();
    V2StateMachine sm = new V2StateMachine(keySpace, writes, new Pending<>(),
        new Members(self, List.of(new Member(self, "a", List.of("http://a:2380"), List.of()),
            new Member(other, "b", List.of("http://b:2380"), List.of()))),
        new AuthRecords(), NO_MEMBERSHIP, () -> 1_000_000_000_000L);
    CompletableFuture<Event> answer = writes.register(id);
    sm.applyEntry(1, V2Request.newBuilder().setId(id).setProposer(other)
        .setMethod(V2Request.Method.PUT).setPath("/theirs").setValue("b").build().toByteString());
    assertFalse(answer.isDone(), "another member's request answered this member's client");
    sm.applyEntry(2, V2Request.newBuilder().setId(id).setProposer(self)
        .setMethod(V2Request.Method.PUT).setPath("/mine").setValue("a").build().toByteString());
    assertEquals(2, keySpace.index(), "this member's write was skipped as a copy");
    assertEquals("/mine", answer.join().node().key());
    sm.applyEntry(3, V2Request.newBuilder().setId(id).setProposer(self)
        .setMethod(V2Request.Method.PUT).setPath("/mine").setValue("a").build().toByteString());
    assertEquals(2, keySpace.index(), "a re-proposed copy is still applied once");
  }

  /**
   * The same clash for member changes: another member's change with this member's pending id is
   * applied, but does not answer this member's waiting `/v2/members` request with its member.
   */
  @Test
  void anotherMembersConfChangeWithTheSameIdIsNotItsAnswer() {
    long self = 0x0dc577d360074f2fL;
    long other = 0xc8663a5649964f2fL;
    long id = 77;
    Pending<Member> memberChanges = new Pending<>();
    V2StateMachine sm = new V2StateMachine(new KeySpace(100), new Pending<>(), memberChanges,
        new Members(self, List.of(new Member(self, "a", List.of("http://a:2380"), List.of()),
            new Member(other, "b", List.of("http://b:2380"), List.of()))),
        new AuthRecords(), NO_MEMBERSHIP, () -> 1_000_000_000_000L);
    CompletableFuture<Member> answer = memberChanges.register(id);
    sm.applyConfChange(1, addition(id, other, 0xc1L, "http://c:2380"));
    assertFalse(answer.isDone(), "another member's change answered this member's request");
    sm.applyConfChange(2, addition(id, self, 0xd1L, "http://d:2380"));
    assertEquals(0xd1L, answer.join().id());
  }

  /** Changes written before the proposer was recorded answer the member that waits, as before. */
  @Test
  void aConfChangeWithoutAProposerAnswersTheWaiter() {
    Pending<Member> memberChanges = new Pending<>();
    V2StateMachine sm = new V2StateMachine(new KeySpace(100), new Pending<>(), memberChanges,
        new Members(1, List.of(new Member(1, "a", List.of("http://a:2380"), List.of()))),
        new AuthRecords(), NO_MEMBERSHIP, () -> 1_000_000_000_000L);
    CompletableFuture<Member> answer = memberChanges.register(78);
    sm.applyConfChange(1, addition(78, 0, 0xe1L, "http://e:2380"));
    assertEquals(0xe1L, answer.join().id());
  }

  private static ConfChange addition(long id, long proposer, long memberId, String peerUrl) {
    MemberAttributes attributes = MemberAttributes.newBuilder().setId(memberId)
        .addPeerUrls(peerUrl).setProposer(proposer).build();
    return ConfChange.newBuilder().setId(id).setType(ConfChangeType.CONF_CHANGE_ADD_NODE)
        .setNodeId(memberId).setContext(attributes.toByteString()).build();
  }

  /**
   * A write that wakes watchers answers its own client first: the answer and the watchers'
   * events go out as tasks on the same event loops, so the first queued is the first sent. The
   * watchers are woken by finishApplied, which the driver leaves to the apply thread when it is
   * not light (some watcher is waiting), so that the core does not wait for thousands of writes.
   */
  @Test
  void theWriterIsAnsweredBeforeItsWatchersAreWoken() {
    KeySpace keySpace = new KeySpace(100);
    Pending<Event> writes = new Pending<>();
    V2StateMachine sm = machine(keySpace, writes);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keySpace.watch("/queue", true, false, 0, e -> order.add("watcher"));
    }
    writes.register(7).whenComplete((event, failure) -> order.add("writer"));
    assertTrue(sm.finishIsLight(), "nothing held yet");
    sm.applyEntry(1, post(7));
    assertEquals(List.of("writer"), order);
    assertFalse(sm.finishIsLight(), "three watchers wait for the held event");
    sm.finishApplied();
    assertEquals(List.of("writer", "watcher", "watcher", "watcher"), order);
    assertTrue(sm.finishIsLight());
    // and a later write's watchers are woken as they were before
    keySpace.watch("/queue", true, false, 0, e -> order.add("late watcher"));
    sm.applyEntry(2, post(8));
    sm.finishApplied();
    assertEquals("late watcher", order.get(order.size() - 1));
    // with nobody parked, holding events is light to finish (the driver does it in place)
    sm.applyEntry(3, post(9));
    assertTrue(sm.finishIsLight(), "no watcher is parked");
    sm.finishApplied();
  }

  /** Each member stamps the events it applies with its own clock, as etcd computes their ttl. */
  @Test
  void appliedEventsShowTheirTtlAsOfTheApplyingMembersClock() {
    KeySpace keySpace = new KeySpace(100);
    Pending<Event> writes = new Pending<>();
    long[] clock = {1_000_000_000_000L};
    V2StateMachine sm = new V2StateMachine(keySpace, writes, new Pending<>(),
        new Members(1, List.of(new Member(1, "a", List.of("http://a:2380"), List.of()))),
        new AuthRecords(), NO_MEMBERSHIP, () -> clock[0]);
    CompletableFuture<Event> answer = writes.register(9);
    sm.applyEntry(1, post(9));
    assertEquals(1_000_000_000_000L, answer.join().ttlClockNanos());
    clock[0] += 5_000_000_000L;
    ByteString expiring = V2Request.newBuilder().setId(11).setMethod(V2Request.Method.PUT)
        .setPath("/k").setValue("v").setExpiration(1_010_000_000_000L).build().toByteString();
    sm.applyEntry(2, expiring);
    assertEquals(1_005_000_000_000L,
        keySpace.watch("/k", false, false, 2, e -> true).immediate().ttlClockNanos());
    // An expiry's events take the time of the SYNC that expired them, not the member's clock.
    ByteString sync = V2Request.newBuilder().setId(12).setMethod(V2Request.Method.SYNC)
        .setTime(1_010_300_000_000L).build().toByteString();
    sm.applyEntry(3, sync);
    Event expired = keySpace.watch("/k", false, false, 3, e -> true).immediate();
    assertEquals(Action.EXPIRE, expired.action());
    assertEquals(1_010_300_000_000L, expired.ttlClockNanos());
  }

  private static ByteString put(long id, String key) {
    return V2Request.newBuilder().setId(id).setMethod(V2Request.Method.PUT).setPath(key)
        .setValue("v".repeat(100)).build().toByteString();
  }

  /**
   * The periodic snapshot streams to a file and a restart restores from that file mapped: the
   * stream must hold exactly what snapshot() holds, and restore to the same state.
   */
  @Test
  void aStreamedSnapshotRestoresTheSameStateFromAMappedFile(@TempDir Path dir)
      throws IOException {
    KeySpace original = new KeySpace(100);
    V2StateMachine sm = machine(original, new Pending<>());
    for (int i = 1; i <= 50_000; i++) {
      sm.applyEntry(i, put(i, "/m/k" + i));
    }
    Path file = dir.resolve("snap");
    try (OutputStream out = Files.newOutputStream(file)) {
      sm.writeSnapshot(out);
    }
    assertArrayEquals(sm.snapshot(), Files.readAllBytes(file));

    KeySpace restored = new KeySpace(100);
    V2StateMachine back = machine(restored, new Pending<>());
    try (FileChannel channel = FileChannel.open(file)) {
      back.restore(Snapshot.newBuilder()
          .setData(UnsafeByteOperations.unsafeWrap(
              channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())))
          .setMetadata(SnapshotMetadata.newBuilder().setIndex(50_000)).build());
    }
    assertEquals(original.index(), restored.index());
    assertEquals(original.get("/", true, true).node(), restored.get("/", true, true).node());
    back.applyEntry(50_001, put(50_000, "/m/again")); // applied before the snapshot: skipped
    assertEquals(original.index(), restored.index());
  }

  /**
   * A restart restores from the snapshot file read as a stream, which can be over the 2 GiB one
   * Snapshot holds: the state is read as it goes, never the data whole first. Here the data is
   * followed by more bytes than the state needs, which are never read (but for one buffer).
   */
  @Test
  void aSnapshotReadAsAStreamRestoresTheSameStateWithoutReadingItWhole() {
    KeySpace original = new KeySpace(100);
    V2StateMachine sm = machine(original, new Pending<>());
    for (int i = 1; i <= 20_000; i++) {
      sm.applyEntry(i, put(i, "/m/k" + i));
    }
    byte[] data = sm.snapshot();
    long padding = 64L << 20;
    long[] read = {0};
    InputStream stream = new InputStream() {
      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (read[0] >= data.length + padding) return -1;
        int n = (int) Math.min(len, data.length + padding - read[0]);
        for (int i = 0; i < n; i++) {
          long at = read[0] + i;
          b[off + i] = at < data.length ? data[(int) at] : 0;
        }
        read[0] += n;
        return n;
      }
    };

    KeySpace restored = new KeySpace(100);
    V2StateMachine back = machine(restored, new Pending<>());
    back.restore(new SnapshotInput(SnapshotMetadata.newBuilder().setIndex(20_000).build(),
        data.length + padding, stream));
    assertEquals(original.index(), restored.index());
    assertEquals(original.get("/", true, true).node(), restored.get("/", true, true).node());
    assertTrue(read[0] <= data.length + (1 << 16), "read " + read[0] + " of " + data.length);
    back.applyEntry(20_001, put(20_000, "/m/again")); // applied before the snapshot: skipped
    assertEquals(original.index(), restored.index());
  }

  /**
   * In a rolling upgrade a member of a build from before the store's counters were kept in
   * snapshots (key space snapshot version 3, before 2026-12-06) may be sent this member's
   * snapshot, or started on its data dir: such a member refused key space version 4 ("unsupported
   * key space snapshot version 4") and stopped, and restarted into the same refusal, since it had
   * stored the snapshot first. The key space is written in version 3's layout, which those builds
   * read and stop after, with the counters after it, where only this build looks for them.
   */
  @Test
  void aSnapshotKeepsItsKeySpaceInTheLayoutEarlierBuildsReadAndStillCarriesTheCounters()
      throws IOException {
    KeySpace original = new KeySpace(100);
    V2StateMachine sm = machine(original, new Pending<>());
    sm.applyEntry(1, put(1, "/a"));
    sm.applyEntry(2, put(2, "/a"));
    byte[] data = sm.snapshot();

    // Read as a member of such a build reads it: the format, members, request ids, auth records,
    // then the key space, whose version it checks (1 to 3) before it reads on.
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
    assertEquals(3, in.readInt());
    new Members(1, List.of()).read(in);
    new AppliedRequestIds().read(in);
    new AuthRecords().read(in);
    assertEquals(0x56325353, in.readInt());
    assertEquals(3, in.readInt(), "key space snapshot version");

    KeySpace restored = new KeySpace(100);
    machine(restored, new Pending<>()).restore(Snapshot.newBuilder()
        .setData(ByteString.copyFrom(data))
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(2)).build());
    assertEquals(original.get("/", true, true).node(), restored.get("/", true, true).node());
    assertEquals(2, restored.stats().setsSuccess(), "the counters travel with the snapshot");
  }

  /**
   * A snapshot file as the build of 2026-12-06 08:22 (state machine format 3, key space version
   * 3) wrote it: a member upgraded from that build restores it, keys, indexes, deadlines, in-order
   * keys, v2 auth records and history as they were.
   */
  @Test
  void aSnapshotFileOfAnEarlierBuildRestoresWhole() throws IOException {
    byte[] data;
    try (InputStream in = V2StateMachineTest.class.getResourceAsStream(
        "/upgrade/ca7f058-snapshot-index-20.snap")) {
      data = in.readAllBytes();
    }
    KeySpace restored = new KeySpace(1000);
    AuthRecords auth = new AuthRecords();
    Members members = new Members(1, List.of());
    new V2StateMachine(restored, new Pending<>(), new Pending<>(), members, auth, NO_MEMBERSHIP,
        () -> 0L).restore(Snapshot.newBuilder().setData(ByteString.copyFrom(data))
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(20)).build());
    assertEquals(14, restored.index());
    NodeView plain = restored.get("/plain", false, false).node();
    assertEquals("v1", plain.value());
    assertEquals(1, plain.modifiedIndex());
    assertEquals("h", restored.get("/dir1/_hidden", false, false).node().value());
    assertEquals("deep", restored.get("/dir1/sub/k", false, false).node().value());
    assertEquals(epochNanos("2026-12-06T17:03:17.158912583Z"),
        restored.get("/ttlkey", false, false).node().expirationNanos());
    NodeView ttlDir = restored.get("/ttldir", false, false).node();
    assertTrue(ttlDir.dir());
    assertEquals(epochNanos("2026-12-06T17:04:57.166721466Z"), ttlDir.expirationNanos());
    List<String> queue = new ArrayList<>();
    for (NodeView n : restored.get("/queue", false, true).node().nodes()) queue.add(n.key());
    assertEquals(List.of("/queue/00000000000000000006", "/queue/00000000000000000007",
        "/queue/00000000000000000008"), queue);
    assertEquals("v6", restored.get("/loop/k2", false, false).node().value());
    // history: a watch from an old index is answered from it
    Event first = restored.watch("/plain", false, false, 1, e -> true).immediate();
    assertEquals(Action.SET, first.action());
    assertEquals(1, first.index());
    assertEquals(12, restored.watch("/loop", true, false, 12, e -> true).immediate().index());
    assertEquals(java.util.Set.of("alice", "root"), auth.state().users().keySet());
    assertEquals(java.util.Set.of("reader"), auth.state().roles().keySet());
    assertEquals(1, members.list().size());
    assertEquals("f1", members.list().get(0).name());
  }

  private static long epochNanos(String instant) {
    java.time.Instant t = java.time.Instant.parse(instant);
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  @Test
  void aMemberRestoredFromASnapshotSkipsTheSameDuplicates() {
    KeySpace original = new KeySpace(100);
    V2StateMachine sm = machine(original, new Pending<>());
    sm.applyEntry(1, post(7));
    Snapshot snapshot = Snapshot.newBuilder().setData(ByteString.copyFrom(sm.snapshot()))
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(1)).build();

    KeySpace restored = new KeySpace(100);
    V2StateMachine follower = machine(restored, new Pending<>());
    follower.restore(snapshot);
    follower.applyEntry(2, post(7));
    sm.applyEntry(2, post(7));
    assertEquals(original.index(), restored.index());
    assertEquals(1, restored.index());
  }

  /**
   * A member that catches up by a leader's snapshot learns the member list from it, and its peer
   * links must follow: a member added meanwhile has to be dialled (else, leading, this member
   * never reaches it), one removed meanwhile dropped and refused.
   */
  @Test
  void aRestoredSnapshotBringsThePeerLinksInStepWithItsMembers() {
    KeySpace original = new KeySpace(100);
    V2StateMachine leader = machine(original, new Pending<>());
    leader.applyConfChange(1, change(ConfChangeType.CONF_CHANGE_ADD_NODE, 3, "http://c:2380"));
    // the follower had applied up to here, then fell behind the leader's compacted log
    leader.applyConfChange(2, change(ConfChangeType.CONF_CHANGE_ADD_NODE, 2, "http://b:2380"));
    leader.applyConfChange(3, change(ConfChangeType.CONF_CHANGE_REMOVE_NODE, 3, ""));
    Snapshot snapshot = Snapshot.newBuilder().setData(ByteString.copyFrom(leader.snapshot()))
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(3)).build();

    List<String> told = new ArrayList<>();
    MembershipListener recording = new MembershipListener() {
      @Override
      public void added(Member member) {
        told.add("added " + member.id() + " " + member.peerUrls());
      }

      @Override
      public void updated(Member member) {
        told.add("updated " + member.id() + " " + member.peerUrls());
      }

      @Override
      public void removed(long id) {
        told.add("removed " + id);
      }
    };
    V2StateMachine follower = new V2StateMachine(new KeySpace(100), new Pending<>(),
        new Pending<>(),
        new Members(1, List.of(new Member(1, "a", List.of("http://a:2380"), List.of()),
            new Member(3, "m3", List.of("http://c:2380"), List.of()))),
        new AuthRecords(), recording, () -> 1_000_000_000_000L);
    follower.restore(snapshot);
    assertEquals(List.of("added 2 [http://b:2380]", "removed 3"), told);
  }

  /**
   * A member added and removed again while this one was behind (both changes inside the
   * snapshot it catches up by) was never in its list: it must still be refused, as the others
   * refuse it, or this member takes it for a peer until its next restart.
   */
  @Test
  void aMemberAddedAndRemovedInsideARestoredSnapshotIsRefusedToo() {
    V2StateMachine leader = machine(new KeySpace(100), new Pending<>());
    leader.applyConfChange(1, change(ConfChangeType.CONF_CHANGE_ADD_NODE, 4, "http://d:2380"));
    leader.applyConfChange(2, change(ConfChangeType.CONF_CHANGE_REMOVE_NODE, 4, ""));
    Snapshot snapshot = Snapshot.newBuilder().setData(ByteString.copyFrom(leader.snapshot()))
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(2)).build();

    List<Long> removed = new ArrayList<>();
    MembershipListener recording = new MembershipListener() {
      @Override
      public void added(Member member) {}

      @Override
      public void updated(Member member) {}

      @Override
      public void removed(long id) {
        removed.add(id);
      }
    };
    V2StateMachine follower = new V2StateMachine(new KeySpace(100), new Pending<>(),
        new Pending<>(),
        new Members(1, List.of(new Member(1, "a", List.of("http://a:2380"), List.of()))),
        new AuthRecords(), recording, () -> 1_000_000_000_000L);
    follower.restore(snapshot);
    assertEquals(List.of(4L), removed);
  }

  private static ConfChange change(ConfChangeType type, long id, String peerUrl) {
    MemberAttributes.Builder a = MemberAttributes.newBuilder().setId(id).setName("m" + id);
    if (!peerUrl.isEmpty()) a.addPeerUrls(peerUrl);
    return ConfChange.newBuilder().setType(type).setNodeId(id).setId(100 + id)
        .setContext(a.build().toByteString()).build();
  }
}
