package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The id set against the obvious model (a set and the order ids came in, the oldest forgotten
 * past the capacity), through growth, eviction with probe runs, and a snapshot round trip.
 */
class AppliedRequestIdsProperties {

  @Provide
  Arbitrary<List<Long>> ids() {
    // A small range forces repeats and collisions; ids near a member's prefix differ in low bits
    // only, as real ones do; 0 is the id of SYNC entries, never recorded.
    Arbitrary<Long> small = Arbitraries.longs().between(-40, 40);
    Arbitrary<Long> prefixed = Arbitraries.longs().between(0, 200).map(n -> (0x3a7fL << 48) | n);
    return Arbitraries.oneOf(small, prefixed, Arbitraries.longs()).list().ofMaxSize(600);
  }

  @Property(tries = 200)
  void remembersExactlyTheLastCapacityIds(@ForAll("ids") List<Long> ids,
      @ForAll @IntRange(min = 1, max = 70) int capacity) throws IOException {
    AppliedRequestIds applied = new AppliedRequestIds(capacity);
    ArrayDeque<Long> order = new ArrayDeque<>();
    Set<Long> model = new HashSet<>();
    for (long id : ids) {
      boolean expected = id == 0 || !model.contains(id);
      if (id != 0 && expected) {
        model.add(id);
        order.addLast(id);
        if (order.size() > capacity) model.remove(order.removeFirst());
      }
      assertEquals(expected, applied.firstTime(id), "id " + id);
      assertEquals(order.size(), applied.size());
    }
    AppliedRequestIds restored = roundTrip(applied, capacity);
    assertEquals(order.size(), restored.size());
    List<Long> kept = new ArrayList<>(order);
    for (long id : kept) assertFalse(restored.firstTime(id), "restored " + id);
    if (kept.size() == capacity) {
      // the snapshot kept the order too: one id never seen pushes out exactly the oldest
      long unseen = 1_000_000_007L;
      while (model.contains(unseen)) unseen++;
      assertTrue(restored.firstTime(unseen));
      long oldest = kept.remove(0);
      for (long id : kept) assertFalse(restored.firstTime(id), "kept " + id);
      assertTrue(restored.firstTime(oldest), "oldest " + oldest);
    }
  }

  private static AppliedRequestIds roundTrip(AppliedRequestIds ids, int capacity)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ids.write(new DataOutputStream(bytes));
    AppliedRequestIds restored = new AppliedRequestIds(capacity);
    restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    return restored;
  }
}
