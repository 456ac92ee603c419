package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.v2store.raft.RaftDetail.PeerProgress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderHandOverTest {
  private static PeerProgress at(long match) {
    return new PeerProgress(match, match + 1, "StateReplicate");
  }

  @Test
  void theConnectedFollowerFurthestAlongTakesOver() {
    assertEquals(3, LeaderHandOver.mostCaughtUp(List.of(2L, 3L),
        Map.of(1L, at(90), 2L, at(40), 3L, at(88))));
  }

  @Test
  void aFollowerFurtherAlongButNotConnectedIsPassedOver() {
    assertEquals(2, LeaderHandOver.mostCaughtUp(List.of(2L),
        Map.of(2L, at(40), 3L, at(88))));
  }

  @Test
  void withoutProgressOrOnATieTheFirstListedIsChosen() {
    assertEquals(2, LeaderHandOver.mostCaughtUp(List.of(2L, 3L), Map.of()));
    assertEquals(2, LeaderHandOver.mostCaughtUp(List.of(2L, 3L), Map.of(2L, at(7), 3L, at(7))));
    assertEquals(0, LeaderHandOver.mostCaughtUp(List.of(), Map.of(2L, at(7))));
  }
}
