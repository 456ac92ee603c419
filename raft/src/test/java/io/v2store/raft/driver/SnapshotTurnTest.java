package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Members applying the same entries take turns writing snapshots: never at the same index, a slot
 * apart at least, and none waits more than an interval for its turn.
 */
class SnapshotTurnTest {
  private static final long INTERVAL = 100_000;

  @Test
  void aMemberAloneNeverWaits() {
    assertTrue(SnapshotTurn.ALONE.opensBetween(5, 6, INTERVAL));
    assertTrue(SnapshotTurn.ALONE.opensBetween(0, 1, 1));
  }

  @Test
  void theSlotIsAPowerOfTwoOfAtMostAThirdOfTheIntervalForThree() {
    assertEquals(32_768, SnapshotTurn.slot(INTERVAL, 3)); // 100,000 / 3 = 33,333
    assertEquals(32_768, SnapshotTurn.slot(120_000, 3)); // alike intervals, the same slot
    assertEquals(2, SnapshotTurn.slot(3, 3));
  }

  /**
   * Members whose intervals straddle a power of two use slots of different sizes: still, no index
   * opens a window for two of them (a window of each size opens at indexes of its own lowest set
   * bit).
   */
  @Test
  void windowsOfDifferentSizesNeverOpenAtTheSameIndex() {
    int members = 3;
    for (long j = 1; j < 100_000; j++) {
      List<String> opening = new ArrayList<>();
      for (long slot = 2; slot <= 4096; slot *= 2) {
        for (int place = 0; place < members; place++) {
          if (new SnapshotTurn(place, members).opensBetween(j - 1, j, slot * members)) {
            opening.add("place " + place + " with slot " + slot);
          }
        }
      }
      assertTrue(opening.size() <= 1, "index " + j + " opens for " + opening);
    }
  }

  @Test
  void placesOutsideTheMembersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SnapshotTurn(3, 3));
    assertThrows(IllegalArgumentException.class, () -> new SnapshotTurn(-1, 3));
    assertThrows(IllegalArgumentException.class, () -> new SnapshotTurn(0, 0));
  }

  /**
   * Three and five members apply the same entries in batches of their own sizes, each with a
   * snapshot due every INTERVAL entries after its own last one (as with a fixed count, or a key
   * space of steady size): over two million entries their snapshots never start within a slot of
   * another's, and each waits at most an interval past due.
   */
  @Test
  void membersApplyingTheSameEntriesTakeTurns() {
    for (int members : new int[] {3, 5}) {
      long slot = SnapshotTurn.slot(INTERVAL, members);
      List<List<Long>> starts = new ArrayList<>();
      for (int place = 0; place < members; place++) {
        starts.add(snapshots(new SnapshotTurn(place, members), new Random(place * 31L + members)));
      }
      List<Long> all = new ArrayList<>();
      for (List<Long> s : starts) {
        assertTrue(s.size() >= 2_000_000 / (INTERVAL * 2) - 1, "snapshots at " + s);
        all.addAll(s);
      }
      all.sort(null);
      for (int i = 1; i < all.size(); i++) {
        assertTrue(all.get(i) - all.get(i - 1) >= slot - 300, // a batch may overshoot its window
            members + " members: two snapshots at " + all.get(i - 1) + " and " + all.get(i));
      }
    }
  }

  /** One member's snapshot indexes: batches of 1-300 entries, due INTERVAL after the last. */
  private static List<Long> snapshots(SnapshotTurn turn, Random batches) {
    List<Long> at = new ArrayList<>();
    long last = 0;
    long dueSince = 0;
    for (long applied = 0; applied < 2_000_000; ) {
      long to = applied + 1 + batches.nextInt(300);
      long since = to - last;
      if (dueSince == 0 && since >= INTERVAL) dueSince = since;
      if (dueSince != 0 && turn.opensBetween(applied, to, dueSince)) {
        assertTrue(since <= 2 * dueSince + 300, "waited " + (since - dueSince));
        at.add(to);
        last = to;
        dueSince = 0;
      }
      applied = to;
    }
    return at;
  }
}
