package io.v2store.raft.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known histories, each checked by the search and, where small enough, by brute force too. */
class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private void expect(boolean linearizable, Histories h) {
    List<Operation> ops = h.build();
    Verdict v = checker.check(ops);
    assertEquals(linearizable, v.linearizable(), () -> "verdict " + v);
    if (!linearizable) assertInstanceOf(Verdict.Violation.class, v);
    assertEquals(linearizable, BruteForceChecker.linearizable(ops), "brute force disagrees");
  }

  @Test
  void sequentialWriteThenRead() {
    expect(true, new Histories().set(1, "k", "a", 0, 1).get(2, "k", "a", 2, 3));
  }

  @Test
  void readOfAbsentKeyBeforeAnyWrite() {
    expect(true, new Histories().get(1, "k", null, 0, 1).set(2, "k", "a", 2, 3));
  }

  @Test
  void staleReadAfterACompletedWriteIsAViolation() {
    expect(false, new Histories().set(1, "k", "a", 0, 1).set(1, "k", "b", 2, 3)
        .get(2, "k", "a", 4, 5));
  }

  @Test
  void concurrentReadMaySeeEitherValue() {
    expect(true, new Histories().set(1, "k", "a", 0, 1).set(1, "k", "b", 2, 6)
        .get(2, "k", "a", 3, 4).get(3, "k", "b", 3, 5));
  }

  @Test
  void readsMayNotGoBackInTime() {
    // while b is being written, one reader sees b and a later reader sees the old a again
    expect(false, new Histories().set(1, "k", "a", 0, 1).set(1, "k", "b", 2, 10)
        .get(2, "k", "b", 3, 4).get(3, "k", "a", 5, 6));
  }

  @Test
  void readOfAValueNeverWrittenIsAViolation() {
    expect(false, new Histories().set(1, "k", "a", 0, 1).get(2, "k", "z", 2, 3));
  }

  @Test
  void casSucceedsOnlyOnTheExpectedValue() {
    expect(true, new Histories().set(1, "k", "a", 0, 1).cas(2, "k", "a", "b", true, 2, 3)
        .cas(3, "k", "a", "c", false, 4, 5).get(1, "k", "b", 6, 7));
    expect(false, new Histories().set(1, "k", "a", 0, 1).cas(2, "k", "x", "b", true, 2, 3));
    expect(false, new Histories().set(1, "k", "a", 0, 1).cas(2, "k", "a", "b", false, 2, 3));
  }

  @Test
  void twoConcurrentCasFromTheSameValueCannotBothSucceed() {
    expect(false, new Histories().set(1, "k", "a", 0, 1).cas(2, "k", "a", "b", true, 2, 5)
        .cas(3, "k", "a", "c", true, 2, 5));
    expect(true, new Histories().set(1, "k", "a", 0, 1).cas(2, "k", "a", "b", true, 2, 5)
        .cas(3, "k", "a", "c", false, 2, 5));
  }

  @Test
  void casOnAnAbsentKeyFails() {
    expect(true, new Histories().cas(1, "k", "a", "b", false, 0, 1));
    expect(false, new Histories().cas(1, "k", "a", "b", true, 0, 1));
  }

  @Test
  void deleteOfAbsentKeyFailsAndOfPresentKeySucceeds() {
    expect(true, new Histories().delete(1, "k", false, 0, 1).set(1, "k", "a", 2, 3)
        .delete(2, "k", true, 4, 5).get(3, "k", null, 6, 7));
    expect(false, new Histories().set(1, "k", "a", 0, 1).delete(2, "k", false, 2, 3));
    expect(false, new Histories().delete(1, "k", true, 0, 1));
  }

  @Test
  void unknownWriteMayTakeEffectLongAfterItsInvocation() {
    // the timed-out write of b is seen only after a later write of c was read: it landed late
    expect(true, new Histories().set(1, "k", "a", 0, 1).setUnknown(2, "k", "b", 2)
        .get(3, "k", "a", 3, 4).set(3, "k", "c", 5, 6).get(3, "k", "c", 7, 8)
        .get(4, "k", "b", 9, 10));
  }

  @Test
  void unknownWriteMayNeverTakeEffect() {
    expect(true, new Histories().set(1, "k", "a", 0, 1).setUnknown(2, "k", "b", 2)
        .get(3, "k", "a", 3, 4).get(3, "k", "a", 100, 101));
  }

  @Test
  void unknownWriteCannotTakeEffectBeforeItsInvocation() {
    expect(false, new Histories().get(1, "k", "b", 0, 1).setUnknown(2, "k", "b", 2));
  }

  @Test
  void unknownWriteTakesEffectAtMostOnce() {
    // a, then b (unknown) seen, then a overwritten by c, then b again: b would have to apply twice
    expect(false, new Histories().set(1, "k", "a", 0, 1).setUnknown(2, "k", "b", 2)
        .get(3, "k", "b", 3, 4).set(3, "k", "c", 5, 6).get(3, "k", "b", 7, 8));
  }

  @Test
  void unknownCasAndDeleteExplainLaterReads() {
    expect(true, new Histories().set(1, "k", "a", 0, 1).casUnknown(2, "k", "a", "b", 2)
        .get(3, "k", "b", 50, 51));
    expect(true, new Histories().set(1, "k", "a", 0, 1).deleteUnknown(2, "k", 2)
        .get(3, "k", null, 50, 51).set(3, "k", "x", 52, 53).get(3, "k", "x", 54, 55));
    // an unknown CAS whose comparison cannot hold explains nothing
    expect(false, new Histories().set(1, "k", "a", 0, 1).casUnknown(2, "k", "z", "b", 2)
        .get(3, "k", "b", 50, 51));
  }

  @Test
  void unknownReadsAreIgnored() {
    List<Operation> ops = new ArrayList<>(new Histories().set(1, "k", "a", 0, 1).build());
    ops.add(new Operation(2, "k", new Command.Get(), Outcome.UNKNOWN, 2, 0));
    assertTrue(checker.check(ops).linearizable());
  }

  @Test
  void keysAreIndependentButEachIsChecked() {
    expect(true, new Histories().set(1, "x", "a", 0, 10).set(2, "y", "b", 0, 10)
        .get(3, "x", "a", 11, 12).get(3, "y", "b", 13, 14));
    Verdict v = checker.check(new Histories().set(1, "x", "a", 0, 1).set(2, "y", "b", 0, 1)
        .get(3, "x", "a", 2, 3).get(3, "y", null, 4, 5).build());
    Verdict.Violation violation = assertInstanceOf(Verdict.Violation.class, v);
    assertEquals("y", violation.key());
    assertTrue(violation.toString().contains("not linearizable on key y"), violation::toString);
  }

  @Test
  void aLongConcurrentHistoryIsCheckedQuicklyThanksToMemoization() {
    // 8 clients, each writing its own value and reading back; all overlapping in waves
    Histories h = new Histories();
    long t = 0;
    for (int wave = 0; wave < 40; wave++) {
      for (int c = 0; c < 8; c++) h.set(c, "k", "v" + wave + "-" + c, t + c, t + 20);
      h.get(9, "k", "v" + wave + "-7", t + 21, t + 22);
      t += 30;
    }
    assertTrue(checker.check(h.build()).linearizable());
  }

  @Test
  void aTinyBudgetGivesUpInsteadOfGuessing() {
    Histories h = new Histories();
    for (int c = 0; c < 8; c++) h.set(c, "k", "v" + c, 0, 10);
    h.get(9, "k", "nobody", 11, 12);
    Verdict v = new LinearizabilityChecker(50).check(h.build());
    assertFalse(v.linearizable());
    assertInstanceOf(Verdict.Inconclusive.class, v);
  }
}
