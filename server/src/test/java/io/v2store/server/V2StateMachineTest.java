package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.http.Member;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

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
        NO_MEMBERSHIP);
  }

  private static byte[] post(long id) {
    return V2Request.newBuilder().setId(id).setMethod(V2Request.Method.POST).setPath("/queue")
        .setValue("job").build().toByteArray();
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
}
