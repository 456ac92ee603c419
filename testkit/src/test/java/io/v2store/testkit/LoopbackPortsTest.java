package io.v2store.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {
  @Test
  void forksGetSlicesUnderTheEphemeralRangeThatDoNotOverlap() {
    assertArrayEquals(new int[] {16768, 4000}, LoopbackPorts.slice(32768, 1));
    assertArrayEquals(new int[] {20768, 4000}, LoopbackPorts.slice(32768, 2));
    assertArrayEquals(new int[] {28768, 4000}, LoopbackPorts.slice(32768, 4));
    // a fifth fork shares the first one's slice rather than leaving the span
    assertArrayEquals(LoopbackPorts.slice(32768, 1), LoopbackPorts.slice(32768, 5));
  }

  @Test
  void portsHandedOutAreDistinctFreeAndBelowTheEphemeralRange() throws Exception {
    int low = LoopbackPorts.ephemeralLow();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = LoopbackPorts.next();
      assertTrue(port < low && port >= low - 16_000, port + " under " + low);
      assertTrue(seen.add(port), "handed out twice: " + port);
      try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1,
          java.net.InetAddress.getLoopbackAddress())) {
        assertEquals(port, s.getLocalPort());
      }
    }
  }
}
