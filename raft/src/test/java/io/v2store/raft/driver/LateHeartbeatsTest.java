package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LateHeartbeatsTest {
  private static final long MS = 1_000_000L;

  @Test
  void aHeartbeatOverTwiceTheIntervalAfterTheLastToThatPeerIsLateByTheExcess() {
    LateHeartbeats pace = new LateHeartbeats(100 * MS);
    assertEquals(0, pace.sent(2, 0)); // the first to a peer sets the pace
    assertEquals(0, pace.sent(2, 100 * MS));
    assertEquals(0, pace.sent(3, 150 * MS)); // each peer on its own
    assertEquals(0, pace.sent(2, 300 * MS)); // exactly twice: on time
    assertEquals(50 * MS, pace.sent(2, 550 * MS));
    assertEquals(0, pace.sent(2, 600 * MS));
  }

  @Test
  void aNewLeadershipStartsThePaceAnew() {
    LateHeartbeats pace = new LateHeartbeats(100 * MS);
    pace.sent(2, 0);
    pace.reset();
    assertEquals(0, pace.sent(2, 10_000 * MS));
  }
}
