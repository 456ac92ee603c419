package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Reads on other threads while the apply thread writes: every read sees one consistent state. */
class KeySpaceConcurrencyTest {

  @Test
  void readersSeeConsistentListingsWhileTheApplyThreadWrites() throws Exception {
    KeySpace ks = new KeySpace(100);
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService readers = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> reads = readers.submit(() -> {
        int n = 0;
        while (!done.get() || n == 0) {
          Event e = ks.get("/", true, true);
          // Every write is a set: in a consistent state the newest node carries the index.
          List<NodeView> top = e.node().nodes();
          if (top != null) {
            long newest = top.stream().mapToLong(v -> maxIndex(v)).max().orElse(0);
            assertEquals(e.index(), newest, "listing mixes two states");
          }
          n++;
        }
        return n;
      });
      for (int i = 0; i < 5000; i++) {
        ks.set("/d/k" + (i % 50), false, "v" + i, NodeView.NEVER, false);
      }
      done.set(true);
      assertTrue(reads.get(60, TimeUnit.SECONDS) > 0);
    } finally {
      readers.shutdownNow();
      assertTrue(readers.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private static long maxIndex(NodeView v) {
    long max = v.modifiedIndex();
    if (v.nodes() != null) {
      for (NodeView c : v.nodes()) {
        max = Math.max(max, maxIndex(c));
      }
    }
    return max;
  }
}
