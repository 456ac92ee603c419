package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Watch behaviour of spec 6 and 15 (items 10-14), one behaviour per test. */
class KeySpaceWatchTest {
  private static final long NEVER = NodeView.NEVER;
  private final KeySpace ks = new KeySpace(KeySpace.DEFAULT_HISTORY);

  private static List<String> keys(List<Event> events) {
    return events.stream().map(e -> e.action().json() + " " + e.node().key()).toList();
  }

  @Test
  void oneShotWatcherGetsOneEventAndIsRemoved() {
    List<Event> got = new ArrayList<>();
    Watch w = ks.watch("/k", false, false, 0, got::add);
    assertNull(w.immediate());
    assertEquals(0, w.startIndex());
    assertEquals(1, ks.stats().watchers());
    ks.set("/k", false, "1", NEVER, false);
    ks.set("/k", false, "2", NEVER, false);
    assertEquals(List.of("set /k"), keys(got));
    assertEquals(0, ks.stats().watchers());
  }

  @Test
  void heldEventsReachParkedWatchersOnlyAtTheReleaseAndInIndexOrder() {
    List<Event> streamed = new ArrayList<>();
    List<Event> oneShot = new ArrayList<>();
    ks.watch("/d", true, true, 0, streamed::add);
    ks.watch("/d/a", false, false, 0, oneShot::add);

    ks.holdDeliveries();
    ks.set("/d/a", false, "1", NEVER, false);
    ks.set("/d/b", false, "2", NEVER, false);
    assertEquals(List.of(), streamed, "held: no watcher woken before the release");
    assertEquals(List.of(), oneShot);
    assertEquals("2", ks.get("/d/b", false, false).node().value(), "reads see the write at once");
    // Registered while held: answered from the history, and not woken a second time later.
    Watch late = ks.watch("/d/a", false, false, 1, e -> {
      throw new AssertionError("a watch answered from the history was also registered");
    });
    assertEquals(1, late.immediate().index());

    ks.releaseDeliveries();
    assertEquals(List.of("set /d/a", "set /d/b"), keys(streamed));
    assertEquals(List.of(1L, 2L), streamed.stream().map(Event::index).toList());
    assertEquals(List.of("set /d/a"), keys(oneShot));

    ks.set("/d/c", false, "3", NEVER, false); // released: delivered at once again
    assertEquals(3, streamed.size());
  }

  @Test
  void eventsCarryTheClockTheirTtlIsShownAgainst() {
    Event unstamped = ks.set("/t", false, "1", 10_000_000_000L, false);
    assertEquals(0, unstamped.ttlClockNanos(), "no clock given: the reader's is used");
    ks.setEventClock(5_000_000_000L);
    assertEquals(5_000_000_000L, ks.set("/t", false, "2", 10_000_000_000L, false).ttlClockNanos());
    Event expired = ks.expire(10_400_000_000L).get(0);
    assertEquals(10_400_000_000L, expired.ttlClockNanos(), "expiry: the time it ran at");
    assertEquals(expired.ttlClockNanos(), ks.watch("/t", false, false, 3, e -> true).immediate()
        .ttlClockNanos(), "the history keeps the same event");
  }

  @Test
  void oneWriteRemovesExactlyTheOneShotWatchersItAnswered() {
    List<Event> oneShots = new ArrayList<>();
    List<Event> streamed = new ArrayList<>();
    List<Event> later = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      ks.watch("/k", false, false, 0, oneShots::add);
      if (i % 100 == 0) {
        ks.watch("/k", false, true, 0, streamed::add);
      }
    }
    ks.watch("/k", false, false, 2, later::add); // waits for index 2: the first write is 1
    assertEquals(1_011, ks.stats().watchers());

    ks.set("/k", false, "1", NEVER, false);
    assertEquals(1_000, oneShots.size());
    assertEquals(11, ks.stats().watchers());

    ks.set("/k", false, "2", NEVER, false);
    assertEquals(1_000, oneShots.size());
    assertEquals(20, streamed.size());
    assertEquals(List.of("set /k"), keys(later));
    assertEquals(10, ks.stats().watchers());
  }

  @Test
  void streamWatcherGetsEveryEventUntilItsSinkRefuses() {
    List<Event> got = new ArrayList<>();
    ks.watch("/d", true, true, 0, e -> got.add(e) && got.size() < 2);
    ks.set("/d/a", false, "1", NEVER, false);
    ks.set("/d/b", false, "2", NEVER, false);
    assertEquals(0, ks.stats().watchers()); // removed at once when deliver returned false
    ks.set("/d/c", false, "3", NEVER, false);
    assertEquals(List.of("set /d/a", "set /d/b"), keys(got));
  }

  @Test
  void cancelRemovesTheWatcher() {
    List<Event> got = new ArrayList<>();
    Watch w = ks.watch("/k", false, true, 0, got::add);
    w.cancel();
    w.cancel();
    assertEquals(0, ks.stats().watchers());
    ks.set("/k", false, "1", NEVER, false);
    assertTrue(got.isEmpty());
  }

  @Test
  void refreshNeverWakesWatchersAndIsSkippedByHistoryScans() {
    ks.set("/k", false, "v", 100, false);
    List<Event> got = new ArrayList<>();
    ks.watch("/k", false, false, 0, got::add);
    ks.update("/k", "", 200, true);
    assertTrue(got.isEmpty());
    assertEquals(1, ks.stats().watchers());
    Watch past = ks.watch("/k", false, false, 2, e -> true);
    assertNull(past.immediate()); // index 2 is the refresh: skipped, so it waits
    ks.set("/k", false, "w", NEVER, false);
    assertEquals(List.of("set /k"), keys(got));
  }

  @Test
  void deletingAnAncestorWakesWatchersOfExistingDescendantsOnly() {
    ks.set("/a/b/c", false, "1", NEVER, false);
    List<Event> existing = new ArrayList<>();
    List<Event> missing = new ArrayList<>();
    List<Event> sibling = new ArrayList<>();
    ks.watch("/a/b/c", false, false, 0, existing::add);
    ks.watch("/a/x/y", false, false, 0, missing::add);
    ks.watch("/ab", false, false, 0, sibling::add);
    ks.delete("/a", false, true);
    assertEquals(List.of("delete /a"), keys(existing));
    assertTrue(missing.isEmpty(), "etcd wakes only watchers of nodes that existed");
    assertTrue(sibling.isEmpty());
    assertEquals(2, ks.stats().watchers());
  }

  @Test
  void expiringADirectoryWakesDescendantWatchers() {
    ks.set("/d/k", false, "1", NEVER, false);
    ks.update("/d", "", 10, false);
    List<Event> got = new ArrayList<>();
    ks.watch("/d/k", false, false, 0, got::add);
    ks.expire(10);
    assertEquals(List.of("expire /d"), keys(got));
  }

  @Test
  void hiddenNodesAreFilteredForLiveRecursiveWatchersOnly() {
    List<Event> above = new ArrayList<>();
    List<Event> itself = new ArrayList<>();
    ks.watch("/a", true, true, 0, above::add);
    ks.watch("/a/_h", true, true, 0, itself::add);
    ks.set("/a/_h", false, "1", NEVER, false);
    ks.set("/a/_h2/x", false, "2", NEVER, false);
    ks.set("/a/v", false, "3", NEVER, false);
    assertEquals(List.of("set /a/v"), keys(above));
    assertEquals(List.of("set /a/_h"), keys(itself));
    Event past = ks.watch("/a", true, false, 1, e -> true).immediate();
    assertEquals("/a/_h", past.node().key()); // history scans do not filter (quirk)
  }

  @Test
  void historyScanMatchesADeletedDirectoryByStringPrefixLikeEtcd() {
    ks.set("/a/k", false, "1", NEVER, false);
    ks.delete("/a", true, true);
    assertEquals("/a", ks.watch("/ab", false, false, 1, e -> true).immediate().node().key());
    assertEquals("/a", ks.watch("/a/x/y", false, false, 1, e -> true).immediate().node().key());
  }

  @Test
  void streamWatchAnsweredFromHistoryIsNotRegistered() {
    ks.set("/k", false, "1", NEVER, false);
    ks.set("/k", false, "2", NEVER, false);
    Watch w = ks.watch("/k", false, true, 1, e -> true);
    assertEquals(1, w.immediate().index());
    assertEquals(2, w.startIndex());
    assertEquals(0, ks.stats().watchers());
  }

  @Test
  void sinceIndexZeroMeansAfterNowAndFutureIndexesWait() {
    ks.set("/k", false, "1", NEVER, false);
    List<Event> now = new ArrayList<>();
    List<Event> future = new ArrayList<>();
    assertNull(ks.watch("/k", false, false, 0, now::add).immediate());
    assertNull(ks.watch("/k", false, false, 3, future::add).immediate());
    ks.set("/k", false, "2", NEVER, false);
    ks.set("/k", false, "3", NEVER, false);
    assertEquals(2, now.get(0).index());
    assertEquals(3, future.get(0).index());
  }

  @Test
  void aWaitIndexOf2To63OrMoreIsInTheFuture() {
    // waitIndex is a uint64 (as in etcd): 2^64-1 arrives as the long -1, 2^63 as Long.MIN_VALUE.
    ks.set("/k", false, "1", NEVER, false);
    List<Event> got = new ArrayList<>();
    assertNull(ks.watch("/k", false, false, -1, got::add).immediate());
    assertNull(ks.watch("/", true, true, Long.MIN_VALUE, got::add).immediate());
    assertEquals(2, ks.stats().watchers());
    ks.set("/k", false, "2", NEVER, false);
    assertEquals(List.of(), keys(got));
  }

  @Test
  void historyOlderThanCapacityIsCleared() {
    KeySpace small = new KeySpace(3);
    for (int i = 0; i < 5; i++) {
      small.set("/k", false, "v" + i, NEVER, false);
    }
    EtcdException e = assertThrows(EtcdException.class,
        () -> small.watch("/k", false, false, 2, ev -> true));
    assertEquals(EtcdError.EVENT_INDEX_CLEARED, e.error());
    assertEquals("the requested history has been cleared [3/2]", e.errorCause());
    assertEquals(5, e.index());
    assertEquals(3, small.watch("/k", false, false, 3, ev -> true).immediate().index());
  }

  /** --history-size's largest value, 2^31-1, is a bound: the member starts and keeps events. */
  @Test
  void theLargestHistorySizeHoldsEventsWithoutAllocatingItUpFront() throws Exception {
    KeySpace huge = new KeySpace(Integer.MAX_VALUE);
    for (int i = 0; i < 3000; i++) {
      huge.set("/k" + (i % 7), false, "v" + i, NEVER, false);
    }
    assertEquals(1, huge.watch("/k0", false, false, 1, ev -> true).immediate().index());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    huge.writeSnapshot(out);
    KeySpace back = new KeySpace(Integer.MAX_VALUE);
    back.restoreSnapshot(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(2, back.watch("/k1", false, false, 1, ev -> true).immediate().index());
    assertEquals(3000, back.watch("/k3", false, false, 3000, ev -> true).immediate().index());
  }

  /** A history that filled its ring as it grew still drops its oldest events in order. */
  @Test
  void aHistoryGrownToItsCapacityKeepsTheLastEvents() {
    KeySpace ks = new KeySpace(1500);
    for (int i = 0; i < 4000; i++) {
      ks.set("/k", false, "v" + i, NEVER, false);
    }
    EtcdException e = assertThrows(EtcdException.class,
        () -> ks.watch("/k", false, false, 2500, ev -> true));
    assertEquals("the requested history has been cleared [2501/2500]", e.errorCause());
    for (long index : new long[] {2501, 2502, 3024, 3025, 4000}) {
      assertEquals(index, ks.watch("/k", false, false, index, ev -> true).immediate().index());
    }
  }

  @Test
  void watchersOfAPathAndItsAncestorsAreAllWokenOnce() {
    List<String> got = new ArrayList<>();
    ks.watch("/", true, true, 0, e -> got.add("root-rec"));
    ks.watch("/", false, true, 0, e -> got.add("root"));
    ks.watch("/a", true, true, 0, e -> got.add("a-rec"));
    ks.watch("/a", false, true, 0, e -> got.add("a"));
    ks.watch("/a/b", false, true, 0, e -> got.add("ab"));
    ks.set("/a/b", true, "", NEVER, false);
    ks.delete("/a", true, true);
    assertEquals(List.of("root-rec", "a-rec", "ab", "root-rec", "a-rec", "a", "ab"), got);
  }

  @Test
  void registrationIsAtomicWithRespectToTheIndex() throws Exception {
    // Writers on the apply thread, watchers registering concurrently with waitIndex = index + 1
    // as a client does after a GET: every watcher must see exactly the event at that index.
    int writes = 2000;
    // History longer than the run: a watcher thread that falls far behind must not get 401.
    KeySpace ks = new KeySpace(writes + 10);
    List<Watch> watches = new ArrayList<>();
    List<List<Event>> sinks = new ArrayList<>();
    Thread apply = new Thread(() -> {
      for (int i = 0; i < writes; i++) {
        ks.set("/k", false, Integer.toString(i), NEVER, false);
      }
    });
    apply.start();
    while (apply.isAlive() || watches.size() < 50) {
      long next = ks.index() + 1;
      List<Event> sink = java.util.Collections.synchronizedList(new ArrayList<>());
      watches.add(ks.watch("/k", false, false, next, sink::add));
      sinks.add(sink);
      if (watches.size() > 20_000) {
        break;
      }
    }
    apply.join();
    ks.set("/k", false, "last", NEVER, false);
    for (int i = 0; i < watches.size(); i++) {
      Event immediate = watches.get(i).immediate();
      List<Event> delivered = sinks.get(i);
      Event got = immediate != null ? immediate : delivered.isEmpty() ? null : delivered.get(0);
      assertNotNull(got, "watch " + i + " missed its event");
      assertTrue(immediate == null || delivered.isEmpty(), "watch " + i + " got it twice");
      assertTrue(delivered.size() <= 1);
    }
    assertEquals(0, ks.stats().watchers());
  }
}
