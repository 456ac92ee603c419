package io.v2store.raft.driver;

import static io.v2store.raft.driver.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.Role;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A write another member forwarded to this one while it led, read only once it follows (it was
 * paused with the write in its socket): it goes no further. Its proposer re-proposed it to the
 * new leader when that leader became known, and may have answered its client long ago; sent on,
 * this copy would be applied a second time if more than the deduplication window's writes were
 * applied meanwhile, overwriting newer writes with an old one.
 */
class ForwardedWriteOnAFollowerTest {
  @Test
  void aFollowerDoesNotSendOnAWriteForwardedToIt() throws Exception {
    List<Message> sent = new CopyOnWriteArrayList<>();
    RaftDriver two = memberTwo(sent::addAll, new DriverListener() {});
    try {
      two.start();
      two.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
          .setTerm(2).build());
      awaitTrue(() -> two.status().role() == Role.FOLLOWER && two.status().leaderId() == 1,
          "member 2 follows member 1");

      // member 3's write, sent when member 2 led
      two.step(Message.newBuilder().setType(MessageType.MSG_PROP).setFrom(3).setTo(2)
          .addEntries(Entry.newBuilder().setType(EntryType.ENTRY_NORMAL)
              .setData(ByteString.copyFromUtf8("old write")))
          .build());
      // Two rounds later the round that took the write has sent whatever it was going to.
      two.detail().get(10, TimeUnit.SECONDS);
      two.detail().get(10, TimeUnit.SECONDS);

      assertTrue(sent.stream().noneMatch(m -> m.getType() == MessageType.MSG_PROP),
          "sent on: " + sent);
      // Its own writes still go to the leader.
      two.propose("own write".getBytes()).get(10, TimeUnit.SECONDS);
      List<Message> props = sent.stream()
          .filter(m -> m.getType() == MessageType.MSG_PROP).toList();
      assertEquals(1, props.size(), "sent: " + sent);
      assertEquals(1, props.get(0).getTo());
      assertEquals("own write", props.get(0).getEntries(0).getData().toStringUtf8());
    } finally {
      two.close();
    }
  }

  /**
   * A follower that learns of a new leader without a moment with none (a higher term's message
   * from it) re-proposes its pending writes from the leader-change callback: to the new leader,
   * since the old one would not send them on.
   */
  @Test
  void writesReproposedOnANewLeaderGoToIt() throws Exception {
    List<Message> sent = new CopyOnWriteArrayList<>();
    AtomicReference<RaftDriver> driver = new AtomicReference<>();
    DriverListener reproposeOnNewLeader = new DriverListener() {
      @Override
      public void onLeaderChange(long leaderId, Role role, long term) {
        if (leaderId == 3) driver.get().propose("pending write".getBytes());
      }
    };
    RaftDriver two = memberTwo(sent::addAll, reproposeOnNewLeader);
    driver.set(two);
    try {
      two.start();
      two.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
          .setTerm(2).build());
      awaitTrue(() -> two.status().leaderId() == 1, "member 2 follows member 1");
      two.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(3).setTo(2)
          .setTerm(3).build());
      awaitTrue(() -> sent.stream().anyMatch(m -> m.getType() == MessageType.MSG_PROP),
          "the pending write re-proposed");
      List<Long> to = sent.stream().filter(m -> m.getType() == MessageType.MSG_PROP)
          .map(Message::getTo).toList();
      assertEquals(List.of(3L), to, "re-proposed to");
    } finally {
      two.close();
    }
  }

  /**
   * The same leader in a new term, with no moment without a leader seen here (the vote and the
   * re-elected leader's first message in one round): the listener hears of it, so that pending
   * writes the leader dropped while it did not lead are offered to it again.
   */
  @Test
  void theSameLeaderInANewTermIsReported() throws Exception {
    List<String> reported = new CopyOnWriteArrayList<>();
    DriverListener listener = new DriverListener() {
      @Override
      public void onLeaderChange(long leaderId, Role role, long term) {
        reported.add(leaderId + "@" + term);
      }
    };
    RaftDriver two = memberTwo(messages -> {}, listener);
    try {
      two.start();
      two.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
          .setTerm(2).build());
      awaitTrue(() -> reported.contains("1@2"), "member 1 reported as leader");
      two.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
          .setTerm(3).build());
      awaitTrue(() -> reported.contains("1@3"), "member 1 reported again in term 3");
      two.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
          .setTerm(3).build());
      two.detail().get(10, TimeUnit.SECONDS);
      two.detail().get(10, TimeUnit.SECONDS);
      assertEquals(List.of("1@2", "1@3"), reported, "once a term");
    } finally {
      two.close();
    }
  }

  /** Member 2 of three, on a log of its own, sending to transport; not started. */
  private static RaftDriver memberTwo(Consumer<List<Message>> transport, DriverListener listener) {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    RaftConfig config = new RaftConfig(2, 10, 1, true, true, 1 << 20, 256, 32L << 20, 0, 2);
    return new RaftDriver("m2", new RawNode(config, log), log, transport, new InertMachine(), 0,
        ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build(),
        new DriverConfig(1_000, 1_000_000, 100, 64), listener);
  }
}
