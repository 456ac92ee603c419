package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key space started from another store's listing: nodes, indexes, deadlines, the index. */
class KeySpaceImportTest {
  private static final long NEVER = NodeView.NEVER;
  private static final long SECOND = 1_000_000_000L;

  private static List<ImportedNode> listing() {
    return List.of(
        new ImportedNode("/a", true, null, 4, 4, NEVER),
        new ImportedNode("/a/v", false, "1", 5, 6, 100 * SECOND),
        new ImportedNode("/d", true, null, 7, 7, 50 * SECOND),
        new ImportedNode("/e", true, null, 8, 8, NEVER),
        new ImportedNode("/f/g/h", false, "deep", 9, 9, NEVER)); // parents not listed
  }

  @Test
  void nodesKeepTheirIndexesAndTheIndexIsTheListingsOwn() {
    KeySpace ks = new KeySpace(10);
    ks.importNodes(listing(), 12);
    assertEquals(12, ks.index());
    Event a = ks.get("/a/v", false, false);
    assertEquals("1", a.node().value());
    assertEquals(5, a.node().createdIndex());
    assertEquals(6, a.node().modifiedIndex());
    assertEquals(100 * SECOND, a.node().expirationNanos());
    assertEquals(9, ks.get("/f/g", false, false).node().createdIndex());
    assertEquals(true, ks.get("/e", false, false).node().dir());
    assertEquals(2, ks.keyCount(), "/a/v and /f/g/h; the directories are not keys");
    // the next write takes the index after the old store's
    assertEquals(13, ks.set("/x", false, "y", NEVER, false).index());
    // deadlines are live: /d expires at 50 s, /a/v at 100 s
    assertEquals(List.of("/d"), ks.expire(60 * SECOND).stream().map(e -> e.node().key()).toList());
    assertEquals(List.of("/a/v"),
        ks.expire(100 * SECOND).stream().map(e -> e.node().key()).toList());
  }

  @Test
  void aWatchForWhatHappenedBeforeTheImportIsAnswered401ThenAfterItWaits() throws Exception {
    KeySpace ks = new KeySpace(10);
    ks.importNodes(listing(), 12);
    EtcdException cleared = assertThrows(EtcdException.class,
        () -> ks.watch("/a", true, false, 12, e -> true));
    assertEquals(EtcdError.EVENT_INDEX_CLEARED, cleared.error());
    List<Event> got = new ArrayList<>();
    assertNull(ks.watch("/a", true, false, 13, got::add).immediate());
    assertNull(ks.watch("/a", true, false, 0, got::add).immediate());
    ks.set("/a/w", false, "2", NEVER, false);
    assertEquals(2, got.size());

    // a snapshot keeps the line: a member restarted before any write still answers 401
    KeySpace fresh = new KeySpace(10);
    fresh.importNodes(listing(), 12);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    fresh.writeSnapshot(bytes);
    KeySpace restored = new KeySpace(10);
    restored.restoreSnapshot(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(EtcdError.EVENT_INDEX_CLEARED, assertThrows(EtcdException.class,
        () -> restored.watch("/a", true, false, 3, e -> true)).error());
    assertEquals("deep", restored.get("/f/g/h", false, false).node().value());
  }

  /** A hidden key read from a source of its own before its directory's listing came. */
  @Test
  void aDirectoryMadeForAChildTakesWhatItsOwnListingSays() {
    KeySpace ks = new KeySpace(10);
    ks.importNodes(List.of(
        new ImportedNode("/app/_lock", false, "me", 9, 9, NEVER),
        new ImportedNode("/app", true, null, 3, 4, 70 * SECOND),
        new ImportedNode("/app/k", false, "v", 5, 5, NEVER)), 9);
    Event app = ks.get("/app", false, false);
    assertEquals(3, app.node().createdIndex());
    assertEquals(4, app.node().modifiedIndex());
    assertEquals("me", ks.get("/app/_lock", false, false).node().value());
    assertEquals(List.of("/app"),
        ks.expire(80 * SECOND).stream().map(e -> e.node().key()).toList());
  }

  @Test
  void aListingThatCannotBeATreeIsRefused() {
    KeySpace ks = new KeySpace(10);
    assertThrows(IllegalArgumentException.class, () -> ks.importNodes(List.of(
        new ImportedNode("/k", false, "v", 1, 1, NEVER),
        new ImportedNode("/k/under", false, "v", 2, 2, NEVER)), 2));
    assertThrows(IllegalArgumentException.class, () -> ks.importNodes(List.of(
        new ImportedNode("/k", false, "v", 1, 1, NEVER),
        new ImportedNode("/k", false, "w", 2, 2, NEVER)), 2));
    assertEquals(0, ks.index(), "refused: nothing changed");
  }
}
