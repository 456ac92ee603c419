package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.ReadState;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReadIndexBatchesTest {
  private final CountingListener counts = new CountingListener();
  private final ReadIndexBatches batches = new ReadIndexBatches(counts, 1);
  // a follower of a three-member cluster that knows no leader: its rounds stay out
  private final RawNode follower = new RawNode(RaftConfig.defaults(1), MemoryLog.withVoters(1, 2, 3));

  @Test
  void aRoundOutWhenTheLeaderChangesCountsAsFailed() {
    CompletableFuture<Long> a = new CompletableFuture<>();
    CompletableFuture<Long> b = new CompletableFuture<>();
    batches.add(a);
    batches.add(b);
    batches.startWaiting(follower);
    batches.add(new CompletableFuture<>());
    batches.startWaiting(follower);
    batches.failInFlight(new ProposalDroppedException("leader changed"), false);
    assertTrue(a.isCompletedExceptionally() && b.isCompletedExceptionally());
    assertEquals(2, counts.readIndexesFailed, "two rounds failed, whatever their reads");
    assertEquals(0, counts.slowReadIndexes);
  }

  /**
   * A member that knows no leader starts rounds nobody answers: their reads, timed out by their
   * requesters, must not stay held until leadership changes (an outage held every quorum read
   * made during it, about 300 bytes each).
   */
  @Test
  void roundsWhoseReadsAllEndedAreForgottenWhenTheNextStarts() {
    CompletableFuture<Long> timedOut = new CompletableFuture<>();
    CompletableFuture<Long> stillWaiting = new CompletableFuture<>();
    batches.add(timedOut);
    batches.startWaiting(follower); // context 1
    batches.add(stillWaiting);
    batches.startWaiting(follower); // context 2
    assertEquals(2, batches.roundsInFlight());
    timedOut.completeExceptionally(new java.util.concurrent.TimeoutException());
    batches.add(new CompletableFuture<>());
    batches.startWaiting(follower); // context 3
    assertEquals(2, batches.roundsInFlight(), "the round of the timed-out read is forgotten");
    AppliedIndex applied = new AppliedIndex(0);
    batches.answered(new ReadState(0, ByteBuffer.allocate(8).putLong(2).array()), applied);
    assertEquals(0L, stillWaiting.join(), "a round with a read still waiting is kept");
  }

  /**
   * Reads wait for the holder of the core to start their round; one held up in a sync that does
   * not return (a leader's disk that hangs) starts none, and the reads made meanwhile, timed out
   * by their requesters, must not stay held until it does.
   */
  @Test
  void readsThatEndedBeforeTheirRoundStartedAreNotHeld() {
    CompletableFuture<Long> stillWaiting = new CompletableFuture<>();
    batches.add(stillWaiting);
    for (int i = 0; i < 100_000; i++) {
      CompletableFuture<Long> read = new CompletableFuture<>();
      batches.add(read);
      read.completeExceptionally(new java.util.concurrent.TimeoutException());
    }
    assertTrue(batches.waiting() <= 1_025, "held: " + batches.waiting());
    batches.startWaiting(follower);
    AppliedIndex applied = new AppliedIndex(0);
    batches.answered(new ReadState(0, ByteBuffer.allocate(8).putLong(1).array()), applied);
    assertEquals(0L, stillWaiting.join(), "a read still waiting is kept");
  }

  @Test
  void roundsFailedByStoppingAreNotCounted() {
    CompletableFuture<Long> a = new CompletableFuture<>();
    batches.add(a);
    batches.startWaiting(follower);
    batches.failInFlight(new ProposalDroppedException("stopping"), true);
    assertTrue(a.isCompletedExceptionally());
    assertEquals(0, counts.readIndexesFailed);
  }

  @Test
  void anAnswerToARoundAlreadyFailedCountsAsSlow() {
    batches.add(new CompletableFuture<>());
    batches.startWaiting(follower); // context 1
    batches.failInFlight(new ProposalDroppedException("leader changed"), false);
    AppliedIndex applied = new AppliedIndex(0);
    batches.answered(new ReadState(3, ByteBuffer.allocate(8).putLong(1).array()), applied);
    assertEquals(1, counts.slowReadIndexes);

    CompletableFuture<Long> live = new CompletableFuture<>();
    batches.add(live);
    batches.startWaiting(follower); // context 2
    batches.answered(new ReadState(0, ByteBuffer.allocate(8).putLong(2).array()), applied);
    assertEquals(0L, live.join());
    assertEquals(1, counts.slowReadIndexes, "an answer in time is not slow");
  }

  @Test
  void anAnswerMeantForThePreviousRunOfThisMemberAnswersNoReadOfThisRun() {
    ReadIndexBatches before = new ReadIndexBatches(counts);
    before.add(new CompletableFuture<>());
    before.startWaiting(follower);
    long previousRunsRound = before.lastContext();

    // killed and restarted: the leader's answer to the old round arrives after the new round began
    ReadIndexBatches after = new ReadIndexBatches(counts);
    CompletableFuture<Long> read = new CompletableFuture<>();
    after.add(read);
    after.startWaiting(follower);
    after.answered(new ReadState(3,
        ByteBuffer.allocate(8).putLong(previousRunsRound).array()), new AppliedIndex(5));
    assertFalse(read.isDone(), "served at an index taken before the read began");
    after.answered(new ReadState(5,
        ByteBuffer.allocate(8).putLong(after.lastContext()).array()), new AppliedIndex(5));
    assertEquals(5L, read.join());
  }

  /**
   * A follower's core forwards its rounds to the leader, and the leader's answer comes back by the
   * transport, where the driver takes answers whose context ForwardedReads owns for its own
   * batches. A round numbered from a random start that ForwardedReads claims would never reach the
   * core: its reads would wait for their timeout. Each run starts elsewhere; none may be claimed.
   */
  @Test
  void noRunNumbersItsRoundsAsForwardedReadsNumberTheirs() {
    for (int run = 0; run < 256; run++) {
      ReadIndexBatches fresh = new ReadIndexBatches(counts);
      fresh.add(new CompletableFuture<>());
      fresh.startWaiting(follower);
      long context = fresh.lastContext();
      assertFalse(ForwardedReads.owns(
          ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(context).array())),
          "run " + run + " numbers its rounds from " + Long.toHexString(context));
    }
  }
}
