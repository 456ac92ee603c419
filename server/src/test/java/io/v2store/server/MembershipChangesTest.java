package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.http.Member;
import io.v2store.http.MembershipException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * --strict-reconfig-check's refusals, decided before anything is proposed (so no Raft driver is
 * needed here: a change that got past the check would fail on the missing driver instead).
 */
class MembershipChangesTest {
  private static final long SELF = 1;

  private static Members five() {
    return new Members(SELF, List.of(member(1), member(2), member(3), member(4), member(5)));
  }

  private static Member member(long id) {
    return new Member(id, "m" + id, List.of("http://127.0.0.1:" + (2380 + id)), List.of());
  }

  private static MembershipChanges changes(Members members, Set<Long> connectedPeers) {
    return new MembershipChanges(null, members, new Pending<>(), new RequestIds(SELF, 0),
        connectedPeers::contains, 1_000, Clock.systemUTC(), new Proposals(), true);
  }

  private static void assertRefusedAsUnhealthy(CompletableFuture<?> change) {
    assertTrue(change.isCompletedExceptionally(), "refused before proposing");
    CompletionException e =
        org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, change::join);
    MembershipException refusal = (MembershipException) e.getCause();
    assertEquals(500, refusal.httpStatus(), "etcd answers ErrUnhealthy with its generic 500");
  }

  /**
   * etcd adds a member only while every member is connected: with one of five down, a sixth
   * would still leave a quorum running, but one more failure before the new member has caught
   * up would not. Before, this was proposed.
   */
  @Test
  void anAdditionWaitsForEveryMember() {
    assertRefusedAsUnhealthy(
        changes(five(), Set.of(2L, 3L, 4L)).add(List.of("http://127.0.0.1:2399")));
  }

  @Test
  void aRemovalThatLeavesTooFewRunningIsRefused() {
    // without 2, four voters need three running: this member and 3 only
    assertRefusedAsUnhealthy(changes(five(), Set.of(2L, 3L)).remove(2));
  }
}
