package io.v2store.raft.driver;

import static io.v2store.raft.driver.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Reads failed by a change of leader are sent again by their owners at once, from the thread that
 * fails them (the server's quorum reads do): each goes to the new leader once, and only the rounds
 * that were out to the old one count as failed.
 */
class ReadsOnALeaderChangeTest {
  /**
   * Reads made while no leader was known wait in a round nobody answers; the leader becomes
   * known. Sent again, they go to it in one batch, which the same change must not fail in turn:
   * that counted a read index failure for a batch sent a moment before to the new leader, and
   * its answer as a slow read index, at every election that reads waited out.
   */
  @Test
  void readsSentAgainOnANewLeaderGoToItOnceAndCountOneFailure() throws Exception {
    List<Message> sent = new CopyOnWriteArrayList<>();
    CountingListener counts = new CountingListener();
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    RaftConfig config = new RaftConfig(2, 10, 1, true, true, 1 << 20, 256, 32L << 20, 0, 2);
    RaftDriver two = new RaftDriver("m2", new RawNode(config, log), log, sent::addAll,
        new InertMachine(), 0, ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3)
            .build(), new DriverConfig(1_000, 1_000_000, 100, 64), counts);
    try {
      two.start();
      CompletableFuture<Long> answered = new CompletableFuture<>();
      readAgainOnLeaderChange(two, answered, 3);
      two.detail().get(10, TimeUnit.SECONDS); // the read's round started, with no leader
      two.detail().get(10, TimeUnit.SECONDS);
      assertTrue(sent.stream().noneMatch(m -> m.getType() == MessageType.MSG_READ_INDEX), "" + sent);

      two.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
          .setTerm(2).build());
      awaitTrue(() -> sent.stream().anyMatch(m -> m.getType() == MessageType.MSG_READ_INDEX),
          "the read sent to the new leader");
      two.detail().get(10, TimeUnit.SECONDS);
      List<Message> asked = sent.stream()
          .filter(m -> m.getType() == MessageType.MSG_READ_INDEX).toList();
      assertEquals(1, asked.size(), "read index messages: " + asked);
      assertEquals(1, asked.get(0).getTo());
      synchronized (counts) {
        assertEquals(1, counts.readIndexesFailed, "the one round out when the leader changed");
      }

      two.step(Message.newBuilder().setType(MessageType.MSG_READ_INDEX_RESP).setFrom(1).setTo(2)
          .setTerm(2).setIndex(0).setContext(asked.get(0).getContext()).build());
      assertEquals(0L, answered.get(10, TimeUnit.SECONDS));
      synchronized (counts) {
        assertEquals(1, counts.readIndexesFailed);
        assertEquals(0, counts.slowReadIndexes, "the new leader answered in time");
      }
    } finally {
      two.close();
    }
  }

  /** As the server's quorum read: a read failed by a leader change goes again, on that thread. */
  private static void readAgainOnLeaderChange(RaftDriver driver, CompletableFuture<Long> answered,
      int triesLeft) {
    driver.readIndex().whenComplete((index, error) -> {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (error == null) {
        answered.complete(index);
      } else if (triesLeft > 0 && cause instanceof ProposalDroppedException dropped
          && dropped.leaderChanged()) {
        readAgainOnLeaderChange(driver, answered, triesLeft - 1);
      } else {
        answered.completeExceptionally(error);
      }
    });
  }
}
