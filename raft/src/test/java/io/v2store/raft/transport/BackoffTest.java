package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheBoundAndResets() {
    final Backoff backoff = new Backoff(50, 300);
    final List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      delays.add(backoff.nextDelayMillis());
    }
    assertEquals(List.of(50L, 100L, 200L, 300L, 300L, 300L), delays);
    backoff.reset();
    assertEquals(50L, backoff.nextDelayMillis());
  }
}
