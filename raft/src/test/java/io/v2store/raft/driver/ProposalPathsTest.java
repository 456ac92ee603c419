package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RaftStatus;
import io.v2store.raft.RawNode;
import io.v2store.raft.Role;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Writes queued on a follower while it knew no leader (an election) are forwarded once it knows
 * one: in messages of at most the given size, since its core forwards each batch whole and a
 * peer takes no frame over 512 MiB (an election under writes of hundreds of MB each would
 * otherwise make one such message, refused, and every write in it would time out).
 */
class ProposalPathsTest {
  private static final RaftStatus NO_LEADER =
      new RaftStatus(2, 2, 0, Role.FOLLOWER, 0, 0, 0);

  @Test
  void writesQueuedWithoutALeaderAreForwardedInMessagesOfBoundedSize() {
    RawNode follower = followerOfMemberOne();
    ProposalPaths paths = new ProposalPaths(1_000, 100, messages -> { }, new DriverListener() { },
        () -> { });
    List<CompletableFuture<Void>> accepted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      accepted.add(paths.propose(new byte[40], NO_LEADER, true));
    }

    paths.proposeWaiting(follower);

    List<Message> props = follower.ready().messages().stream()
        .filter(m -> m.getType() == MessageType.MSG_PROP).toList();
    assertEquals(List.of(2, 2, 1), props.stream().map(Message::getEntriesCount).toList(),
        "40-byte writes in messages of at most 100 bytes: " + props);
    assertTrue(props.stream().allMatch(m -> m.getTo() == 1), "not all to the leader: " + props);
    assertTrue(accepted.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
  }

  @Test
  void aWriteLargerThanTheBoundGoesAloneAndWhole() {
    RawNode follower = followerOfMemberOne();
    ProposalPaths paths = new ProposalPaths(1_000, 100, messages -> { }, new DriverListener() { },
        () -> { });
    paths.propose(new byte[10], NO_LEADER, true);
    paths.propose(new byte[300], NO_LEADER, true);
    paths.propose(new byte[10], NO_LEADER, true);

    paths.proposeWaiting(follower);

    List<Integer> sizes = follower.ready().messages().stream()
        .filter(m -> m.getType() == MessageType.MSG_PROP)
        .map(m -> m.getEntriesList().stream().mapToInt(e -> e.getData().size()).sum()).toList();
    assertEquals(List.of(10, 300, 10), sizes);
  }

  /** Member 2 of three, a follower of member 1 in term 2. */
  private static RawNode followerOfMemberOne() {
    MemoryLog log = MemoryLog.withVoters(1, 2, 3);
    RawNode node = new RawNode(new RaftConfig(2, 10, 1, true, true, 1 << 20, 256, 32L << 20, 0,
        2), log);
    node.step(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
        .setTerm(2).build());
    assertEquals(1, node.status().leaderId());
    if (node.hasReady()) node.advance(node.ready());
    return node;
  }
}
