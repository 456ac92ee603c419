package io.v2store.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InflightsTest {
  @Test
  void fullByCountOrBytesAndFreedByAcknowledgement() {
    Inflights in = new Inflights(3, 100);
    in.add(5, 10);
    in.add(9, 10);
    assertFalse(in.full());
    in.add(12, 10);
    assertTrue(in.full(), "three messages");
    assertThrows(IllegalStateException.class, () -> in.add(13, 1));
    in.freeLE(9);
    assertEquals(1, in.count());
    assertEquals(10, in.bytes());
    in.add(20, 95);
    assertTrue(in.full(), "105 bytes >= 100");
    in.freeLE(100);
    assertEquals(0, in.count());
  }
}
