package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ForwardedReadsTest {
  private static final long RESEND = 200;
  private final CountingListener counts = new CountingListener();
  private final ForwardedReads reads = new ForwardedReads(RESEND, counts);
  private final AppliedIndex applied = new AppliedIndex(5);

  @Test
  void readsArrivingWhileOneBatchIsOutGoTogetherInTheNext() {
    CompletableFuture<Long> first = new CompletableFuture<>();
    Message m1 = reads.add(first, 2, 1, 0);
    assertNotNull(m1);
    assertEquals(MessageType.MSG_READ_INDEX, m1.getType());
    assertEquals(2, m1.getFrom());
    assertEquals(1, m1.getTo());
    assertTrue(ForwardedReads.owns(m1.getContext()));
    CompletableFuture<Long> second = new CompletableFuture<>();
    CompletableFuture<Long> third = new CompletableFuture<>();
    assertNull(reads.add(second, 2, 1, 10));
    assertNull(reads.add(third, 2, 1, 20));

    Message m2 = reads.answered(m1.getContext(), 4, applied, 2, 1, 30);
    assertEquals(4L, first.getNow(null), "applied (5) is past the leader's index: served at once");
    assertNotNull(m2, "the two waiting reads leave together");
    assertFalse(second.isDone());
    assertNull(reads.answered(m2.getContext(), 7, applied, 2, 1, 40));
    assertFalse(second.isDone(), "index 7 is not applied here yet");
    applied.advanceTo(7);
    assertEquals(7L, second.getNow(null));
    assertEquals(7L, third.getNow(null));
    assertEquals(0, counts.slowReadIndexes, "every answer came in time");
  }

  @Test
  void aBatchThatSeemsLostNoLongerHoldsBackTheNext() {
    assertNotNull(reads.add(new CompletableFuture<>(), 2, 1, 0));
    assertNull(reads.add(new CompletableFuture<>(), 2, 1, 10));
    assertNull(reads.kick(2, 1, RESEND - 1));
    assertEquals(0, counts.slowReadIndexes);
    assertNotNull(reads.kick(2, 1, RESEND));
    assertEquals(1, counts.slowReadIndexes, "a batch sent beside an unanswered one is slow");
  }

  /**
   * A batch lost on its way (dropped on the leader's full inbox, a connection reset) with no read
   * arriving after it: its reads go again once it seems lost, rather than wait for their timeout.
   */
  @Test
  void theReadsOfABatchThatSeemsLostGoAgain() {
    CompletableFuture<Long> read = new CompletableFuture<>();
    CompletableFuture<Long> givenUp = new CompletableFuture<>();
    Message lost = reads.add(read, 2, 1, 0);
    assertNotNull(lost);
    assertNull(reads.add(givenUp, 2, 1, 1));
    assertNotNull(reads.kick(2, 1, RESEND), "the read that waited, with the first again");
    givenUp.cancel(false); // its request timed out meanwhile
    assertNull(reads.kick(2, 1, RESEND + 1), "too soon: the second batch is young");

    Message again = reads.kick(2, 1, 2 * RESEND + 1);
    assertNotNull(again, "the lost batch's read sent again");
    assertNull(reads.kick(2, 1, 2 * RESEND + 2), "once per resend interval");
    assertNull(reads.answered(again.getContext(), 5, applied, 2, 1, 2 * RESEND + 3));
    assertEquals(5L, read.getNow(null));
    assertNull(reads.kick(2, 1, 10 * RESEND), "nothing left to send");
    assertNull(reads.answered(lost.getContext(), 4, applied, 2, 1, 10 * RESEND),
        "the lost batch's late answer is taken, and serves nothing more");
  }

  /**
   * A leader slower to answer than the resend interval (a slow disk under it): each batch is
   * followed by another before its answer comes. The late answer still serves what went in its
   * batch, or no read would ever be served; and only that: a read that first went in a later
   * batch arrived after the answered one went, so that answer says nothing of it.
   */
  @Test
  void aLeaderThatAlwaysAnswersLateServesEachBatchWithItsOwnAnswer() {
    CompletableFuture<Long> first = new CompletableFuture<>();
    Message one = reads.add(first, 2, 1, 0);
    CompletableFuture<Long> second = new CompletableFuture<>();
    Message two = reads.add(second, 2, 1, RESEND); // the first seems lost: both go
    assertNotNull(two);

    assertNull(reads.answered(one.getContext(), 5, applied, 2, 1, RESEND + 1));
    assertEquals(5L, first.getNow(null), "served by its own batch's late answer");
    assertFalse(second.isDone(), "served by an answer to a batch that went before it arrived");

    CompletableFuture<Long> third = new CompletableFuture<>();
    Message three = reads.add(third, 2, 1, 2 * RESEND); // the second seems lost too
    assertNotNull(three);
    assertNull(reads.answered(two.getContext(), 5, applied, 2, 1, 2 * RESEND + 1));
    assertEquals(5L, second.getNow(null));
    assertFalse(third.isDone());
    assertNull(reads.answered(three.getContext(), 5, applied, 2, 1, 2 * RESEND + 2));
    assertEquals(5L, third.getNow(null));
    assertEquals(2, counts.slowReadIndexes, "two batches given up on, each once");
  }

  /**
   * A leader that stays known but never answers (a connection that carries its heartbeats but not
   * our messages): a read is sent again only until it is as old as a batch is kept, as before it
   * was resent; every read of every request made meanwhile would otherwise be held and sent again
   * until the leader changes.
   */
  @Test
  void aReadNeverAnsweredIsGivenUpOnAsABatchIs() {
    long second = 1_000_000_000L;
    CompletableFuture<Long> read = new CompletableFuture<>();
    assertNotNull(reads.add(read, 2, 1, 0));
    assertNotNull(reads.kick(2, 1, second), "sent again once it seems lost");
    for (long t = 2; t <= 60; t++) reads.kick(2, 1, t * second);
    for (long t = 61; t <= 70; t++) {
      assertNull(reads.kick(2, 1, t * second), "still sent " + t + " s after it arrived");
    }
    assertFalse(read.isDone(), "left to its request's timeout, as a forgotten batch's reads");
  }

  /**
   * One lost batch is one slow read index round, as etcd counts its round that timed out: once
   * its reads went again and were answered, the batches after it are not sent beside anything
   * still waiting, and a leader change then fails only what is out with reads.
   */
  @Test
  void aLostBatchWhoseReadsWentAgainCountsOnce() {
    assertNotNull(reads.add(new CompletableFuture<>(), 2, 1, 0)); // lost
    Message again = reads.kick(2, 1, RESEND);
    assertNotNull(again);
    assertEquals(1, counts.slowReadIndexes);
    assertNull(reads.answered(again.getContext(), 5, applied, 2, 1, RESEND + 1));

    for (long t = 2; t <= 5; t++) {
      CompletableFuture<Long> read = new CompletableFuture<>();
      Message m = reads.add(read, 2, 1, t * RESEND);
      assertNotNull(m);
      assertNull(reads.answered(m.getContext(), 5, applied, 2, 1, t * RESEND + 1));
      assertEquals(5L, read.getNow(null));
    }
    assertEquals(1, counts.slowReadIndexes, "later batches were answered in time");

    reads.add(new CompletableFuture<>(), 2, 1, 6 * RESEND);
    reads.failAll(new ProposalDroppedException("leader changed"), false);
    assertEquals(1, counts.readIndexesFailed, "one batch out with reads");
  }

  @Test
  void aLeaderChangeFailsWhatWasOutAndWhatWaited() {
    CompletableFuture<Long> out = new CompletableFuture<>();
    CompletableFuture<Long> waiting = new CompletableFuture<>();
    Message m = reads.add(out, 2, 1, 0);
    reads.add(waiting, 2, 1, 1);
    reads.failAll(new ProposalDroppedException("leader changed"), false);
    assertTrue(out.isCompletedExceptionally());
    assertTrue(waiting.isCompletedExceptionally());
    assertEquals(1, counts.readIndexesFailed, "the batch out failed; the one waiting never left");
    assertNull(reads.answered(m.getContext(), 9, applied, 2, 1, 2), "a late answer is ignored");
    assertEquals(1, counts.slowReadIndexes, "and counted as slow");
  }

  @Test
  void stoppingFailsReadsWithoutCountingThem() {
    CompletableFuture<Long> out = new CompletableFuture<>();
    reads.add(out, 2, 1, 0);
    reads.failAll(new ProposalDroppedException("stopping"), true);
    assertTrue(out.isCompletedExceptionally());
    assertEquals(0, counts.readIndexesFailed);
  }

  @Test
  void withNoLeaderNothingIsSent() {
    assertNull(reads.add(new CompletableFuture<>(), 2, 0, 0));
  }

  @Test
  void anAnswerMeantForThePreviousRunOfThisMemberAnswersNoReadOfThisRun() {
    ForwardedReads before = new ForwardedReads(RESEND, counts);
    Message previousRunsBatch = before.add(new CompletableFuture<>(), 2, 1, 0);

    // killed and restarted: the leader's answer to the old batch arrives after the new one left
    ForwardedReads after = new ForwardedReads(RESEND, counts);
    CompletableFuture<Long> read = new CompletableFuture<>();
    Message batch = after.add(read, 2, 1, 0);
    after.answered(previousRunsBatch.getContext(), 3, applied, 2, 1, 10);
    assertFalse(read.isDone(), "served at an index taken before the read began");
    after.answered(batch.getContext(), 5, applied, 2, 1, 20);
    assertEquals(5L, read.getNow(null));
  }

  @Test
  void theCoresOwnContextsAreNotOurs() {
    ByteString core = ByteString.copyFrom(ByteBuffer.allocate(8).putLong(17).array());
    assertFalse(ForwardedReads.owns(core));
    assertFalse(ForwardedReads.owns(ByteString.copyFromUtf8("short")));
  }
}
