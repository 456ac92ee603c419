package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A key may be as deep as its path is long (etcd serves about 2,000 levels). What walks the tree
 * must not take a stack frame per level: an event loop's stack runs out near 2,000 of them while
 * the code is still interpreted. Each walk here runs on a stack a quarter of that size.
 */
class DeepKeysTest {
  static final int LEVELS = 5_000;
  private static final long SMALL_STACK = 256 * 1024;

  static String deepKey(int levels) {
    StringBuilder key = new StringBuilder(levels * 2);
    for (int i = 0; i < levels; i++) {
      key.append("/d");
    }
    return key.toString();
  }

  /** Runs work on a thread with a small stack; its error, a StackOverflowError included, fails. */
  static <T> T onSmallStack(Callable<T> work) throws InterruptedException {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(work.call());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "small-stack", SMALL_STACK);
    t.start();
    t.join();
    if (failure.get() != null) {
      throw new AssertionError("failed on a " + SMALL_STACK + "-byte stack", failure.get());
    }
    return result.get();
  }

  /** The levels of a listing with one child per directory, walked without recursion. */
  private static NodeView bottom(NodeView top, int expectedLevels) {
    NodeView n = top;
    int levels = 1;
    while (n.dir()) {
      assertEquals(1, n.nodes().size(), n.key());
      n = n.nodes().get(0);
      levels++;
    }
    assertEquals(expectedLevels, levels);
    return n;
  }

  @Test
  void aRecursiveListingReachesTheBottomOfADeepKey() throws Exception {
    KeySpace ks = new KeySpace(KeySpace.DEFAULT_HISTORY);
    ks.set(deepKey(LEVELS), false, "bottom", NodeView.NEVER, false);
    for (boolean sorted : new boolean[] {false, true}) {
      NodeView top = onSmallStack(() -> ks.get("/d", true, sorted).node());
      NodeView bottom = bottom(top, LEVELS);
      assertEquals(deepKey(LEVELS), bottom.key());
      assertEquals("bottom", bottom.value());
    }
    // not recursive: one level, as before
    NodeView top = onSmallStack(() -> ks.get("/d", false, false).node());
    assertNull(top.nodes().get(0).nodes());
  }

  @Test
  void aDeepKeySurvivesASnapshotAndItsRemoval() throws Exception {
    KeySpace ks = new KeySpace(KeySpace.DEFAULT_HISTORY);
    ks.set(deepKey(LEVELS), false, "bottom", NodeView.NEVER, false);
    byte[] snapshot = onSmallStack(() -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ks.writeSnapshot(out);
      return out.toByteArray();
    });
    KeySpace restored = new KeySpace(KeySpace.DEFAULT_HISTORY);
    onSmallStack(() -> {
      restored.restoreSnapshot(new ByteArrayInputStream(snapshot));
      return null;
    });
    assertEquals("bottom", restored.get(deepKey(LEVELS), false, false).node().value());
    onSmallStack(() -> restored.delete("/d", true, true));
    assertNull(restored.get("/", true, false).node().nodes());
  }
}
