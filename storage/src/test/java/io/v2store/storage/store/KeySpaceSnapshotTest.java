package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot cases the random property does not reach: size, depth, corruption, watchers. */
class KeySpaceSnapshotTest {
  private static final long NEVER = NodeView.NEVER;

  private static byte[] snapshot(KeySpace ks) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.writeSnapshot(out);
    return out.toByteArray();
  }

  private static KeySpace restore(byte[] bytes, int history) throws IOException {
    KeySpace ks = new KeySpace(history);
    ks.restoreSnapshot(new ByteArrayInputStream(bytes));
    return ks;
  }

  @Test
  void historyEventsKeepTheClockTheirTtlIsShownAgainst() throws IOException {
    KeySpace ks = new KeySpace(100);
    ks.set("/plain", false, "p", NEVER, false); // made without a clock
    ks.setEventClock(7_000_000_000L);
    ks.set("/t", false, "v", 60_000_000_000L, false);
    ks.expire(60_200_000_000L);
    KeySpace back = restore(snapshot(ks), 100);
    assertEquals(0, back.watch("/plain", false, false, 1, e -> true).immediate().ttlClockNanos());
    assertEquals(7_000_000_000L,
        back.watch("/t", false, false, 2, e -> true).immediate().ttlClockNanos());
    assertEquals(60_200_000_000L,
        back.watch("/t", false, false, 3, e -> true).immediate().ttlClockNanos());
  }

  /** A data dir written before version 2 still restores: its events then have no clock. */
  @Test
  void aVersionOneSnapshotStillRestores() throws IOException {
    // Written by hand in version 1's layout (SnapshotCodec's format comment): index 1, the root
    // with one key /a, and the history's one event, whose index is not followed by a clock.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x56325353);
    out.writeInt(1);
    VarInts.writeVarLong(out, 1);
    out.writeByte(1); // the root: a directory named "", created 0, modified 0, one child
    VarInts.writeString(out, "");
    VarInts.writeVarLong(out, 0);
    VarInts.writeVarLong(out, 0);
    VarInts.writeVarLong(out, 1);
    out.writeByte(0); // /a: a key, created 1, modified 1, value "1"
    VarInts.writeString(out, "a");
    VarInts.writeVarLong(out, 1);
    VarInts.writeVarLong(out, 0);
    VarInts.writeString(out, "1");
    VarInts.writeVarLong(out, 1); // one event: set /a at index 1, no prevNode
    out.writeByte(Action.SET.ordinal());
    out.writeBoolean(false);
    VarInts.writeVarLong(out, 1);
    out.writeByte(1 | 2);
    VarInts.writeString(out, "/a");
    VarInts.writeString(out, "1");
    out.writeLong(NEVER);
    VarInts.writeVarLong(out, 1);
    VarInts.writeVarLong(out, 1);
    out.writeBoolean(false);
    out.flush();

    KeySpace back = restore(bytes.toByteArray(), 100);
    assertEquals(1, back.index());
    assertEquals("1", back.get("/a", false, false).node().value());
    Event set = back.watch("/a", false, false, 1, e -> true).immediate();
    assertEquals(1, set.index());
    assertEquals("/a", set.node().key());
    assertEquals(0, set.ttlClockNanos());
  }

  @Test
  void manyKeysWithDeadlinesAndHistorySurvive() throws IOException {
    KeySpace ks = new KeySpace(100);
    for (int i = 0; i < 20_000; i++) {
      ks.set("/d" + (i % 50) + "/k" + i, false, "v" + i, i % 7 == 0 ? 1000 + i : NEVER, false);
    }
    KeySpace back = restore(snapshot(ks), 100);
    assertEquals(ks.index(), back.index());
    assertEquals(ks.get("/", true, true).node(), back.get("/", true, true).node());
    assertEquals(ks.nextExpirationNanos(), back.nextExpirationNanos());
    Event past = back.watch("/d3", true, false, 19_950, e -> true).immediate();
    assertEquals("/d3/k19953", past.node().key());
    assertThrows(EtcdException.class, () -> back.watch("/d3", true, false, 10, e -> true));
    List<Event> expired = back.expire(5000);
    assertEquals(DifferentialHarness.values(ks.expire(5000)), DifferentialHarness.values(expired));
    assertEquals(572, expired.size());
  }

  /**
   * The walk touches nodes sixteen at a time and grows its stack from 64: nested directories with
   * child counts on either side of both, and empty ones, come back as they were.
   */
  @Test
  void directoriesOfEverySizeAroundTheBatchSurvive() throws IOException {
    KeySpace ks = new KeySpace(100);
    int[] sizes = {0, 1, 15, 16, 17, 31, 32, 33, 100};
    for (int outer : sizes) {
      ks.set("/o" + outer, true, null, NEVER, false);
      for (int i = 0; i < outer; i++) {
        if (i % 5 == 0) {
          ks.set("/o" + outer + "/sub" + i, true, null, NEVER, false);
          for (int j = 0; j < sizes[i % sizes.length]; j++) {
            ks.set("/o" + outer + "/sub" + i + "/k" + j, false, "v" + j, NEVER, false);
          }
        } else {
          ks.set("/o" + outer + "/k" + i, false, "value " + i, NEVER, false);
        }
      }
    }
    KeySpace back = restore(snapshot(ks), 100);
    assertEquals(ks.index(), back.index());
    assertEquals(ks.get("/", true, true).node(), back.get("/", true, true).node());
  }

  /**
   * A key space of the size the memory benchmark loads, streamed to a file and back (the way a
   * member snapshots and restarts): every key, deadline and the history come back.
   */
  @Test
  void aLargeKeySpaceStreamsThroughAFileAndRestoresEqual(@TempDir Path dir) throws IOException {
    KeySpace ks = new KeySpace(1000);
    String value = "x".repeat(100);
    for (int i = 0; i < 200_000; i++) {
      ks.set("/bench/k" + i, false, value + i, i % 1000 == 0 ? 5000 + i : NEVER, false);
    }
    ks.delete("/bench/k17", false, false);
    Path file = dir.resolve("snap");
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.writeSnapshot(out);
    }
    KeySpace back = new KeySpace(1000);
    try (InputStream in = Files.newInputStream(file)) {
      back.restoreSnapshot(in);
    }
    assertEquals(ks.index(), back.index());
    assertEquals(ks.get("/", true, true).node(), back.get("/", true, true).node());
    assertEquals(value + 199_999, back.get("/bench/k199999", false, false).node().value());
    assertThrows(EtcdException.class, () -> back.get("/bench/k17", false, false));
    assertEquals(ks.nextExpirationNanos(), back.nextExpirationNanos());
    Event last = back.watch("/bench", true, false, ks.index(), e -> true).immediate();
    assertEquals("/bench/k17", last.node().key());
    assertEquals(DifferentialHarness.values(ks.expire(10_000)),
        DifferentialHarness.values(back.expire(10_000)));
  }

  @Test
  void veryDeepPathsNeedNoRecursion() throws IOException {
    KeySpace ks = new KeySpace(10);
    String[] parts = new String[20_000];
    Arrays.fill(parts, "n");
    String deep = "/" + String.join("/", parts);
    ks.set(deep, false, "bottom", NEVER, false);
    KeySpace back = restore(snapshot(ks), 10);
    assertEquals("bottom", back.get(deep, false, false).node().value());
  }

  @Test
  void aSmallerHistoryKeepsTheNewestEvents() throws IOException {
    KeySpace ks = new KeySpace(50);
    for (int i = 0; i < 30; i++) {
      ks.set("/k", false, "v" + i, NEVER, false);
    }
    KeySpace back = restore(snapshot(ks), 5);
    assertThrows(EtcdException.class, () -> back.watch("/k", false, false, 25, e -> true));
    assertEquals(26, back.watch("/k", false, false, 26, e -> true).immediate().index());
  }

  @Test
  void restoreKeepsRegisteredWatchers() throws IOException {
    KeySpace source = new KeySpace(10);
    source.set("/k", false, "1", NEVER, false);
    KeySpace ks = new KeySpace(10);
    List<Event> got = new ArrayList<>();
    ks.watch("/k", false, true, 0, got::add); // a stream: it stays after the snapshot's event
    ks.restoreSnapshot(new ByteArrayInputStream(snapshot(source)));
    ks.set("/k", false, "2", NEVER, false);
    assertEquals(List.of(1L, 2L), got.stream().map(Event::index).toList());
  }

  /**
   * etcd's store snapshot holds its /v2/stats/store counters (they are fields of the store it
   * encodes), so a member that restarts from a snapshot goes on from them (then the replayed
   * entries count again), and one that installs a leader's snapshot takes the leader's. Here a
   * restart showed only what the entries after the snapshot counted.
   */
  @Test
  void storeCountersTravelWithTheSnapshotAsEtcds() throws IOException {
    KeySpace ks = new KeySpace(10);
    ks.set("/k", false, "v", NEVER, false);
    ks.set("/t", false, "v", 5, false);
    ks.get("/k", false, false);
    assertThrows(EtcdException.class, () -> ks.get("/nope", false, false));
    assertThrows(EtcdException.class, () -> ks.compareAndSwap("/k", "x", 0, "y", NEVER, false));
    ks.expire(5);
    ks.watch("/w", false, false, 0, e -> true);
    StoreStats before = ks.stats();
    KeySpace restarted = restore(snapshot(ks), 10);
    assertEquals(new StoreStats(1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0), restarted.stats());
    restarted.set("/k", false, "w", NEVER, false);
    assertEquals(3, restarted.stats().setsSuccess());
    // a member that catches up by the leader's snapshot shows the leader's counts, as etcd's does
    KeySpace follower = new KeySpace(10);
    follower.set("/other", false, "v", NEVER, false);
    assertThrows(EtcdException.class, () -> follower.delete("/nope", false, false));
    follower.restoreSnapshot(new ByteArrayInputStream(snapshot(ks)));
    assertEquals(before.setsSuccess(), follower.stats().setsSuccess());
    assertEquals(0, follower.stats().deleteFail());
    assertEquals(before.expireCount(), follower.stats().expireCount());
  }

  /** A snapshot written before the counters were kept in it leaves them as they are. */
  @Test
  void aVersionThreeSnapshotLeavesTheCountersAlone() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x56325353);
    out.writeInt(3);
    VarInts.writeVarLong(out, 0); // index 0
    out.writeByte(1); // the root, no children
    VarInts.writeString(out, "");
    VarInts.writeVarLong(out, 0);
    VarInts.writeVarLong(out, 0);
    VarInts.writeVarLong(out, 0);
    VarInts.writeVarLong(out, 0); // no events
    VarInts.writeVarLong(out, 0); // nothing cleared
    out.writeByte(42); // what follows the snapshot in its stream
    out.flush();
    KeySpace ks = new KeySpace(10);
    ks.set("/k", false, "v", NEVER, false);
    ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
    ks.restoreSnapshot(in);
    assertEquals(42, in.read());
    assertEquals(0, ks.index());
    assertEquals(1, ks.stats().setsSuccess());
  }

  /**
   * A snapshot that ends its stream is written in version 3's layout, with the counters after it
   * (builds from before version 4 read it and stop before them); read back to the stream's end
   * it keeps the counters, and a version 3 snapshot that ends without them leaves them alone.
   */
  @Test
  void aSnapshotAtTheEndOfItsStreamIsVersionThreeWithTheCountersAfterIt() throws IOException {
    KeySpace ks = new KeySpace(10);
    ks.set("/k", false, "v", NEVER, false);
    ks.set("/k", false, "w", NEVER, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.writeSnapshotAtEnd(out);
    byte[] bytes = out.toByteArray();
    assertEquals(3, ByteBuffer.wrap(bytes).getInt(4), "key space snapshot version");
    KeySpace back = new KeySpace(10);
    back.restoreSnapshotAtEnd(new ByteArrayInputStream(bytes));
    assertEquals("w", back.get("/k", false, false).node().value());
    assertEquals(2, back.stats().setsSuccess());
    // read as a build before version 4 reads it: exactly up to the counters
    KeySpace older = new KeySpace(10);
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    older.restoreSnapshot(in);
    assertEquals("w", older.get("/k", false, false).node().value());
    assertEquals(0, older.stats().setsSuccess());
    int counters = in.available();
    assertTrue(counters > 0, "the counters follow what such a build reads");

    byte[] withoutCounters = Arrays.copyOf(bytes, bytes.length - counters);
    KeySpace kept = new KeySpace(10);
    kept.set("/mine", false, "v", NEVER, false);
    kept.restoreSnapshotAtEnd(new ByteArrayInputStream(withoutCounters));
    assertEquals("w", kept.get("/k", false, false).node().value());
    assertEquals(1, kept.stats().setsSuccess(), "no counters: its own are kept");
  }

  @Test
  void corruptOrTruncatedSnapshotsAreRefusedAndChangeNothing() throws IOException {
    KeySpace ks = new KeySpace(10);
    ks.set("/a/b", false, "value", 77, false);
    byte[] good = snapshot(ks);
    KeySpace target = new KeySpace(10);
    target.set("/keep", false, "me", NEVER, false);
    byte[] badMagic = good.clone();
    badMagic[0] ^= 1;
    assertThrows(IOException.class,
        () -> target.restoreSnapshot(new ByteArrayInputStream(badMagic)));
    assertThrows(IOException.class, () -> target.restoreSnapshot(
        new ByteArrayInputStream(Arrays.copyOf(good, good.length - 9))));
    assertEquals("me", target.get("/keep", false, false).node().value());
  }

  @Test
  void restoreReadsExactlyTheSnapshotSoOtherDataMayFollow() throws IOException {
    KeySpace ks = new KeySpace(10);
    ks.set("/k", false, "v", NEVER, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.writeSnapshot(out);
    out.write(new byte[] {42, 43});
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    KeySpace back = new KeySpace(10);
    back.restoreSnapshot(in);
    assertEquals("v", back.get("/k", false, false).node().value());
    assertEquals(42, in.read());
    assertEquals(43, in.read());
  }

  /**
   * A member that catches up by installing the leader's snapshot never applies the entries the
   * snapshot covers one by one: a watcher parked on it (confd's long poll on a member that was cut
   * off) must still get the first matching event among them, from the snapshot's history, and a
   * stream watcher every one, in order; events it had live before are not sent again.
   */
  @Test
  void parkedWatchersGetTheEventsASnapshotSkipsOver() throws IOException {
    KeySpace leader = new KeySpace(1000);
    KeySpace lagging = new KeySpace(1000);
    for (KeySpace ks : List.of(leader, lagging)) {
      ks.set("/app/server/1", false, "a", NEVER, false); // index 1 on both
    }
    List<Event> oneShot = new ArrayList<>();
    List<Event> streamed = new ArrayList<>();
    List<Event> other = new ArrayList<>();
    lagging.watch("/app", true, false, 2, e -> oneShot.add(e));
    lagging.watch("/app", true, true, 0, e -> streamed.add(e));
    lagging.watch("/elsewhere", true, false, 0, e -> other.add(e));
    leader.set("/unrelated", false, "x", NEVER, false); // 2
    leader.set("/app/server/2", false, "b", NEVER, false); // 3
    leader.set("/app/server/1", false, "a2", NEVER, false); // 4
    leader.set("/app/server/2", false, null, 60_000_000_000L, true); // 5, a refresh: no event
    leader.set("/app/server/3", false, "c", NEVER, false); // 6
    lagging.restoreSnapshot(new ByteArrayInputStream(snapshot(leader)));

    assertEquals(1, oneShot.size(), oneShot.toString());
    assertEquals("/app/server/2", oneShot.get(0).node().key());
    assertEquals(3, oneShot.get(0).index());
    assertEquals(List.of(3L, 4L, 6L), streamed.stream().map(Event::index).toList());
    assertEquals(List.of(), other);
    // the one-shot is answered and gone; the stream and the other watcher stay
    assertEquals(2, lagging.stats().watchers());
  }
}
