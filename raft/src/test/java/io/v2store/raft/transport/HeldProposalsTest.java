package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounds on proposals held for a connection not up yet: count, bytes and age. */
class HeldProposalsTest {
  private static Message proposal(String data) {
    return Message.newBuilder().setType(MessageType.MSG_PROP)
        .addEntries(Entry.newBuilder().setData(ByteString.copyFromUtf8(data))).build();
  }

  private static List<String> data(List<Message> messages) {
    return messages.stream().map(m -> m.getEntries(0).getData().toStringUtf8()).toList();
  }

  @Test
  void heldInOrderAndTakenOnce() {
    HeldProposals held = new HeldProposals(8, 1 << 20);
    assertTrue(held.hold(proposal("a"), 0));
    assertTrue(held.hold(proposal("b"), 1));
    assertEquals(List.of("a", "b"), data(held.takeAll(2)));
    assertEquals(List.of(), held.takeAll(3));
  }

  @Test
  void beyondTheCountOrTheBytesAProposalIsRefused() {
    HeldProposals byCount = new HeldProposals(2, 1 << 20);
    assertTrue(byCount.hold(proposal("a"), 0));
    assertTrue(byCount.hold(proposal("b"), 0));
    assertFalse(byCount.hold(proposal("c"), 0));
    assertEquals(List.of("a", "b"), data(byCount.takeAll(0)));

    int one = proposal("x".repeat(100)).getSerializedSize();
    HeldProposals byBytes = new HeldProposals(100, 2L * one);
    assertTrue(byBytes.hold(proposal("x".repeat(100)), 0));
    assertTrue(byBytes.hold(proposal("y".repeat(100)), 0));
    assertFalse(byBytes.hold(proposal("z".repeat(100)), 0));
    byBytes.takeAll(0);
    assertTrue(byBytes.hold(proposal("z".repeat(100)), 0), "taking frees the bytes");
  }

  @Test
  void aProposalHeldTooLongIsDropped() {
    HeldProposals held = new HeldProposals(2, 1 << 20);
    assertTrue(held.hold(proposal("old"), 0));
    assertTrue(held.hold(proposal("newer"), HeldProposals.MAX_AGE_NANOS));
    long later = HeldProposals.MAX_AGE_NANOS + 1;
    assertTrue(held.hold(proposal("new"), later), "the expired one made room");
    assertEquals(List.of("newer", "new"), data(held.takeAll(later)));
  }
}
