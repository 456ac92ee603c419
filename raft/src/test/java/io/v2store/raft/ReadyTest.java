package io.v2store.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadyTest {
  @Test
  void savedBytesAreTheHardStateAndTheEntriesAsTheLogEncodesThem() {
    HardState hs = HardState.newBuilder().setTerm(2).setVote(1).setCommit(7).build();
    Entry a = Entry.newBuilder().setTerm(2).setIndex(8).setData(ByteString.copyFromUtf8("x")).build();
    Entry b = Entry.newBuilder().setTerm(2).setIndex(9)
        .setData(ByteString.copyFrom(new byte[300])).build();
    Ready ready = new Ready(null, hs, List.of(), List.of(a, b), null, List.of(), List.of(),
        List.of(), true);
    assertEquals(hs.toByteArray().length + a.toByteArray().length + b.toByteArray().length,
        ready.savedBytes());
    Ready commitOnly = new Ready(null, null, List.of(), List.of(), null, List.of(a), List.of(),
        List.of(), false);
    assertEquals(0, commitOnly.savedBytes(), "committed entries are applied, not saved");
  }
}
