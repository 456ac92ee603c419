package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** /v2/stats/store counters: each operation counts its own success or failure. */
class KeySpaceStatsTest {
  private static final long NEVER = NodeView.NEVER;

  @Test
  void everyOperationCountsItsOutcome() {
    KeySpace ks = new KeySpace(10);
    ks.set("/k", false, "v", NEVER, false);
    assertThrows(EtcdException.class, () -> ks.set("/", false, "v", NEVER, false));
    ks.get("/k", false, false);
    assertThrows(EtcdException.class, () -> ks.get("/nope", false, false));
    ks.create("/c", false, "", false, NEVER);
    assertThrows(EtcdException.class, () -> ks.create("/c", false, "", false, NEVER));
    ks.update("/k", "w", NEVER, false);
    assertThrows(EtcdException.class, () -> ks.update("/nope", "w", NEVER, false));
    ks.compareAndSwap("/k", "w", 0, "x", NEVER, false);
    assertThrows(EtcdException.class, () -> ks.compareAndSwap("/k", "w", 0, "x", NEVER, false));
    ks.compareAndDelete("/c", "", 2);
    assertThrows(EtcdException.class, () -> ks.compareAndDelete("/c", "", 2));
    ks.set("/t", false, "", 5, false);
    ks.delete("/k", false, false);
    assertThrows(EtcdException.class, () -> ks.delete("/k", false, false));
    ks.expire(5);
    ks.watch("/w", false, false, 0, e -> true);
    assertEquals(new StoreStats(1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), ks.stats());
  }

  @Test
  void createThroughAKeyAlsoCountsASetFailureAsEtcdDoes() {
    KeySpace ks = new KeySpace(10);
    ks.set("/k", false, "v", NEVER, false);
    assertThrows(EtcdException.class, () -> ks.create("/k", false, "", true, NEVER));
    assertEquals(1, ks.stats().createFail());
    assertEquals(1, ks.stats().setsFail());
  }

  /**
   * etcd's store counts some refusals as successes: those returned without being assigned to the
   * error its deferred counter reads (root, not a file, compare failed in compareAndDelete). Its
   * /v2/stats/store shows them so, and a dashboard comparing members or before/after sees them.
   */
  @Test
  void refusalsEtcdCountsAsSuccessesAreCountedSo() {
    KeySpace ks = new KeySpace(10);
    ks.set("/k", false, "v", NEVER, false);
    ks.set("/d", true, "", NEVER, false);
    assertThrows(EtcdException.class, () -> ks.compareAndDelete("/k", "x", 0));
    assertThrows(EtcdException.class, () -> ks.compareAndDelete("/k", null, 99));
    assertThrows(EtcdException.class, () -> ks.compareAndDelete("/d", "x", 0));
    assertThrows(EtcdException.class, () -> ks.compareAndDelete("/", "x", 0));
    assertThrows(EtcdException.class, () -> ks.compareAndDelete("/nope", "x", 0));
    assertEquals(4, ks.stats().compareAndDeleteSuccess());
    assertEquals(1, ks.stats().compareAndDeleteFail());
    assertThrows(EtcdException.class, () -> ks.delete("/", true, true));
    assertThrows(EtcdException.class, () -> ks.delete("/d", false, false));
    assertEquals(1, ks.stats().deleteSuccess());
    assertEquals(1, ks.stats().deleteFail());
    assertThrows(EtcdException.class, () -> ks.compareAndSwap("/", "x", 0, "y", NEVER, false));
    assertThrows(EtcdException.class, () -> ks.compareAndSwap("/d", "x", 0, "y", NEVER, false));
    assertThrows(EtcdException.class, () -> ks.compareAndSwap("/k", "x", 0, "y", NEVER, false));
    assertEquals(1, ks.stats().compareAndSwapSuccess());
    assertEquals(2, ks.stats().compareAndSwapFail());
    assertThrows(EtcdException.class, () -> ks.update("/", "x", NEVER, false));
    assertThrows(EtcdException.class, () -> ks.update("/d", "x", NEVER, false));
    assertThrows(EtcdException.class, () -> ks.update("/nope", "x", NEVER, false));
    assertEquals(2, ks.stats().updateSuccess());
    assertEquals(1, ks.stats().updateFail());
    assertEquals(2, ks.index());
  }

  @Test
  void keyCountCountsKeysAtEveryDepthButNotDirectories() {
    KeySpace ks = new KeySpace(10);
    assertEquals(0, ks.keyCount());
    ks.set("/a/b/c", false, "v", NEVER, false);
    ks.set("/a/_hidden", false, "v", NEVER, false);
    ks.set("/d", true, "", NEVER, false);
    ks.set("/e", false, "v", NEVER, false);
    assertEquals(3, ks.keyCount());
    ks.delete("/a", true, true);
    assertEquals(1, ks.keyCount());
  }
}
