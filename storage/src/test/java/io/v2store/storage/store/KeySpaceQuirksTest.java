package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** One test per behaviour of spec sections 2-5 and 8-9 that a naive store gets wrong. */
class KeySpaceQuirksTest {
  private static final long NEVER = NodeView.NEVER;
  private final KeySpace ks = new KeySpace(KeySpace.DEFAULT_HISTORY);

  static EtcdException fails(EtcdError error, Executable op) {
    EtcdException e = assertThrows(EtcdException.class, op);
    assertEquals(error, e.error(), e.getMessage());
    return e;
  }

  /**
   * The estimate that sends a large answer off the event loops: keys, values and 64 bytes a node,
   * given up at the limit; hidden nodes are not listed, so not counted. A small answer is read at
   * once, as get would read it; a large one is left (null) for get elsewhere.
   */
  @Test
  void getUnlessLargerEstimatesWhatAGetWouldAnswer() {
    for (int i = 0; i < 10; i++) ks.set("/few/k" + i, false, "v", NEVER, false);
    for (int i = 0; i < 2_000; i++) {
      ks.set("/many/d" + (i % 10) + "/k" + i, false, "v", NEVER, false);
    }
    for (int i = 0; i < 2_000; i++) ks.set("/hid/_k" + i, false, "v", NEVER, false);
    ks.set("/big", false, "x".repeat(70_000), NEVER, false);
    long limit = 64 * 1024;
    assertEquals(10, ks.getUnlessLarger("/few", true, false, limit, 64).node().nodes().size());
    assertEquals("v", ks.getUnlessLarger("/few/k1", false, false, limit, 64).node().value());
    assertNull(ks.getUnlessLarger("/many", true, false, limit, 64), "2,000 keys two levels down");
    assertEquals(10, ks.getUnlessLarger("/many", false, true, limit, 64).node().nodes().size(),
        "without them: 10 directories");
    assertNotNull(ks.getUnlessLarger("/hid", true, false, limit, 64),
        "hidden keys are not listed");
    assertNull(ks.getUnlessLarger("/big", false, false, limit, 64), "one key, a large value");
    assertNull(ks.getUnlessLarger("/", true, false, limit, 64));
    assertEquals(ks.get("/many", true, false).node().nodes().size(),
        ks.getUnlessLarger("/many", true, false, Long.MAX_VALUE, 64).node().nodes().size(),
        "no limit: get");
    EtcdException missing = assertThrows(EtcdException.class,
        () -> ks.getUnlessLarger("/missing", true, false, limit, 64));
    assertEquals(100, missing.error().code());
  }

  @Test
  void setOfExistingKeyReplacesTheNode() {
    ks.set("/a", false, "1", NEVER, false);
    Event e = ks.set("/a", false, "2", NEVER, false);
    assertEquals(2, e.node().createdIndex());
    assertEquals(2, e.node().modifiedIndex());
    assertEquals("1", e.prevNode().value());
    assertEquals(1, e.prevNode().createdIndex());
    assertFalse(e.isCreated());
    assertTrue(ks.set("/b", false, "", NEVER, false).isCreated());
  }

  @Test
  void updateOfDirectoryReportsNewIndexButKeepsStoredOne() {
    ks.set("/d", true, "", NEVER, false);
    Event e = ks.update("/d", "", 500, false);
    assertEquals(2, e.node().modifiedIndex());
    assertTrue(e.node().dir());
    assertNull(e.node().value());
    assertEquals(500, e.node().expirationNanos());
    NodeView stored = ks.get("/d", false, false).node();
    assertEquals(1, stored.modifiedIndex());
    assertEquals(500, stored.expirationNanos());
    assertEquals(2, ks.index());
    fails(EtcdError.NOT_FILE, () -> ks.update("/d", "x", NEVER, false));
  }

  @Test
  void writesWithoutTtlMakeTheNodePermanentAndUpdateWithoutValueStoresEmpty() {
    ks.set("/a", false, "v", 100, false);
    Event u = ks.update("/a", "", NEVER, false);
    assertEquals("", u.node().value());
    assertFalse(u.node().hasExpiration());
    assertEquals(100, u.prevNode().expirationNanos());
    assertEquals(1, u.node().createdIndex());
    assertEquals(NEVER, ks.nextExpirationNanos());
    ks.compareAndSwap("/a", null, 2, "", 50, false);
    Event c = ks.compareAndSwap("/a", "", 3, "", NEVER, false);
    assertFalse(c.node().hasExpiration());
    assertTrue(ks.expire(1000).isEmpty());
  }

  @Test
  void putDirOverKeyMakesADirectoryButNeverTheReverse() {
    ks.set("/k", false, "v", NEVER, false);
    Event e = ks.set("/k", true, "ignored", NEVER, false);
    assertTrue(e.node().dir());
    assertNull(e.node().value());
    assertEquals("v", e.prevNode().value());
    EtcdException x = fails(EtcdError.NOT_FILE, () -> ks.set("/k", false, "v", NEVER, false));
    assertEquals("/k", x.errorCause());
    fails(EtcdError.NOT_FILE, () -> ks.set("/k", true, "", NEVER, false));
  }

  @Test
  void keyNotFoundCausesNameTheFirstMissingComponent() {
    ks.set("/a/x", false, "v", NEVER, false);
    EtcdException e = fails(EtcdError.KEY_NOT_FOUND, () -> ks.get("/a/b/c", false, false));
    assertEquals("/a/b", e.errorCause());
    assertEquals(1, e.index());
    EtcdException through = fails(EtcdError.NOT_DIR, () -> ks.get("/a/x/y/z", false, false));
    assertEquals("/a/x", through.errorCause());
    fails(EtcdError.NOT_DIR, () -> ks.set("/a/x/y", false, "", NEVER, false));
    EtcdException post = fails(EtcdError.NOT_DIR, () -> ks.create("/a/x", false, "", true, NEVER));
    assertEquals("/a/x", post.errorCause());
    assertEquals(1, ks.stats().createFail());
  }

  @Test
  void casFailureCauses() {
    ks.set("/k", false, "one", NEVER, false);
    assertEquals("[two != one]",
        fails(EtcdError.TEST_FAILED, () -> ks.compareAndSwap("/k", "two", 0, "x", NEVER, false))
            .errorCause());
    assertEquals("[7 != 1]",
        fails(EtcdError.TEST_FAILED, () -> ks.compareAndSwap("/k", null, 7, "x", NEVER, false))
            .errorCause());
    assertEquals("[7 != 1]",
        fails(EtcdError.TEST_FAILED, () -> ks.compareAndSwap("/k", "one", 7, "x", NEVER, false))
            .errorCause());
    assertEquals("[two != one] [7 != 1]",
        fails(EtcdError.TEST_FAILED, () -> ks.compareAndDelete("/k", "two", 7)).errorCause());
    assertEquals(1, ks.index());
    Event ok = ks.compareAndSwap("/k", "one", 1, "x", NEVER, false);
    assertEquals(Action.COMPARE_AND_SWAP, ok.action());
    assertEquals(1, ok.node().createdIndex());
    assertEquals(2, ok.node().modifiedIndex());
    assertEquals(3, ks.stats().compareAndSwapFail());
    // etcd's compareAndDelete counts its compare failure as a success (see KeySpaceStatsTest)
    assertEquals(1, ks.stats().compareAndDeleteSuccess());
    assertEquals(0, ks.stats().compareAndDeleteFail());
  }

  @Test
  void rootIsReadOnlyAndCadOnRootHasNoCause() {
    assertEquals("/", fails(EtcdError.ROOT_READ_ONLY,
        () -> ks.set("/", false, "", NEVER, false)).errorCause());
    fails(EtcdError.ROOT_READ_ONLY, () -> ks.create("/", true, "", false, NEVER));
    fails(EtcdError.ROOT_READ_ONLY, () -> ks.update("/", "", NEVER, false));
    fails(EtcdError.ROOT_READ_ONLY, () -> ks.compareAndSwap("/", "a", 0, "", NEVER, false));
    fails(EtcdError.ROOT_READ_ONLY, () -> ks.delete("/", true, true));
    assertNull(fails(EtcdError.NOT_FILE, () -> ks.compareAndDelete("/", "x", 0)).errorCause());
    assertEquals(0, ks.index());
  }

  @Test
  void recursiveDeleteIsOneEventWithTheBareDirectory() {
    ks.set("/d/a", false, "1", NEVER, false);
    ks.set("/d/e/b", false, "2", 10, false);
    fails(EtcdError.NOT_FILE, () -> ks.delete("/d", false, false));
    fails(EtcdError.DIR_NOT_EMPTY, () -> ks.delete("/d", true, false));
    Event e = ks.delete("/d", false, true);
    assertEquals(3, e.index());
    assertEquals("/d", e.node().key());
    assertTrue(e.node().dir());
    assertEquals(1, e.node().createdIndex());
    assertEquals(3, e.node().modifiedIndex());
    assertNull(e.prevNode().nodes());
    assertTrue(e.prevNode().dir());
    assertEquals(NEVER, ks.nextExpirationNanos());
    assertNull(ks.get("/", true, false).node().nodes());
  }

  @Test
  void postNamesAreTheIndexPaddedTo20Digits() {
    ks.set("/x", false, "", NEVER, false);
    Event e = ks.create("/q", false, "job", true, NEVER);
    assertEquals("/q/00000000000000000002", e.node().key());
    assertEquals(Action.CREATE, e.action());
    assertEquals("/00000000000000000003", ks.create("/", true, "", true, NEVER).node().key());
  }

  @Test
  void hiddenNodesAreOmittedFromListingsButReadableByPath() {
    ks.set("/a/_h/x", false, "1", NEVER, false);
    ks.set("/a/v", false, "2", NEVER, false);
    ks.set("/a/e", true, "", NEVER, false);
    NodeView a = ks.get("/a", true, true).node();
    assertEquals(List.of("/a/e", "/a/v"), a.nodes().stream().map(NodeView::key).toList());
    assertNull(a.nodes().get(0).nodes());
    assertEquals("1", ks.get("/a/_h/x", false, false).node().value());
    assertEquals("/a/_h/x", ks.get("/a/_h", false, false).node().nodes().get(0).key());
  }

  @Test
  void rootListingHasNoKeyAndNoIndexes() {
    NodeView empty = ks.get("/", false, false).node();
    assertNull(empty.key());
    assertNull(empty.nodes());
    assertEquals(0, empty.modifiedIndex());
    ks.set("/d/x", false, "v", NEVER, false);
    NodeView root = ks.get("/", false, false).node();
    assertEquals(1, root.nodes().size());
    assertNull(root.nodes().get(0).nodes()); // non-recursive: child dirs are not expanded
    NodeView deep = ks.get("/", true, false).node();
    assertEquals("v", deep.nodes().get(0).nodes().get(0).value());
  }

  @Test
  void sortedComparesUtf8Bytes() {
    ks.set("/s/\uffff", false, "", NEVER, false);
    ks.set("/s/\uD83D\uDE00", false, "", NEVER, false); // U+1F600 sorts after U+FFFF in UTF-8
    ks.set("/s/b", false, "", NEVER, false);
    List<String> keys = ks.get("/s", false, true).node().nodes().stream().map(NodeView::key)
        .toList();
    assertEquals(List.of("/s/b", "/s/\uffff", "/s/\uD83D\uDE00"), keys);
  }

  @Test
  void refreshKeepsValueConsumesAnIndexAndReturnsPrevNode() {
    ks.set("/k", false, "v", 100, false);
    Event set = ks.set("/k", false, "", 200, true);
    assertEquals("v", set.node().value());
    assertEquals(2, set.node().createdIndex()); // set path replaces the node
    assertTrue(set.isRefresh());
    assertNotNull(set.prevNode());
    Event upd = ks.update("/k", "", 300, true);
    assertEquals("v", upd.node().value());
    assertEquals(2, upd.node().createdIndex());
    Event cas = ks.compareAndSwap("/k", "v", 0, "", 400, true);
    assertEquals("v", cas.node().value());
    assertEquals(400, ks.nextExpirationNanos());
    fails(EtcdError.KEY_NOT_FOUND, () -> ks.set("/missing", false, "", 5, true));
    fails(EtcdError.KEY_NOT_FOUND, () -> ks.update("/missing", "", 5, true));
    assertEquals(4, ks.index());
  }

  @Test
  void expireRemovesDueNodesInDeadlineOrderWithOneEventPerNode() {
    ks.set("/d/a", false, "1", NEVER, false);
    ks.update("/d", "", 20, false);
    ks.set("/k", false, "v", 10, false);
    ks.set("/d/b", false, "v", 15, false);
    ks.set("/later", false, "v", 99, false);
    assertEquals(10, ks.nextExpirationNanos());
    assertTrue(ks.expire(9).isEmpty());
    List<Event> events = ks.expire(20);
    assertEquals(List.of("/k", "/d/b", "/d"), events.stream().map(e -> e.node().key()).toList());
    assertEquals(List.of(6L, 7L, 8L), events.stream().map(Event::index).toList());
    assertEquals(Action.EXPIRE, events.get(2).action());
    assertTrue(events.get(2).node().dir());
    assertEquals(20, events.get(2).prevNode().expirationNanos());
    assertEquals(3, ks.stats().expireCount());
    assertEquals(99, ks.nextExpirationNanos());
  }
}
