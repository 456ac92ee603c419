package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class AppliedIndexTest {
  /**
   * A member whose disk hangs applies nothing meanwhile, while the leader goes on answering its
   * forwarded quorum reads (and health checks) with indexes past it: those reads, timed out by
   * their requesters, must not stay held until applying resumes, however long the hang.
   */
  @Test
  void readsThatEndedWhileApplyingStoodStillAreNotHeld() {
    AppliedIndex applied = new AppliedIndex(4);
    CompletableFuture<Long> stillWaiting = new CompletableFuture<>();
    applied.whenApplied(5, stillWaiting);
    for (int i = 0; i < 100_000; i++) {
      CompletableFuture<Long> read = new CompletableFuture<>();
      applied.whenApplied(5 + i % 7, read);
      read.completeExceptionally(new TimeoutException()); // its request timed out
    }
    assertTrue(applied.waiting() <= 2_048, "held: " + applied.waiting());
    applied.advanceTo(5);
    assertEquals(5L, stillWaiting.join(), "a read still waiting is answered");
  }

  @Test
  void readsStillWaitingAreAllKept() {
    AppliedIndex applied = new AppliedIndex(0);
    CompletableFuture<?>[] reads = new CompletableFuture<?>[5_000];
    for (int i = 0; i < reads.length; i++) {
      CompletableFuture<Long> read = new CompletableFuture<>();
      reads[i] = read;
      applied.whenApplied(1 + i, read);
    }
    assertEquals(5_000, applied.waiting());
    applied.advanceTo(5_000);
    for (CompletableFuture<?> read : reads) assertTrue(read.isDone() && !read.isCompletedExceptionally());
    assertEquals(0, applied.waiting());
  }
}
