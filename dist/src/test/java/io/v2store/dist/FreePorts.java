package io.v2store.dist;

import io.v2store.testkit.LoopbackPorts;
import java.util.ArrayList;
import java.util.List;

/** Distinct free loopback ports for the processes a test starts (see {@link LoopbackPorts}). */
final class FreePorts {
  private FreePorts() {}

  static List<Integer> take(int count) {
    final List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) ports.add(LoopbackPorts.next());
    return ports;
  }
}
