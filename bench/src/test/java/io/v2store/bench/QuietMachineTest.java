package io.v2store.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuietMachineTest {
  /** Samples handed out in turn; the sleeps asked for are recorded instead of slept. */
  private final Deque<QuietMachine.Sample> samples = new ArrayDeque<>();
  private final List<Long> slept = new ArrayList<>();

  private QuietMachine machine(long maxWaitMillis) {
    return new QuietMachine(samples::poll, slept::add, maxWaitMillis, 0.25, 2);
  }

  /** A sample after the one before: busy and total ticks added, of which self were this process's. */
  private void then(long busy, long total, long self) {
    QuietMachine.Sample last = samples.isEmpty() ? new QuietMachine.Sample(0, 0, 0) : samples.peekLast();
    samples.add(new QuietMachine.Sample(last.machineBusy() + busy, last.machineTotal() + total,
        last.self() + self));
  }

  @Test
  void startsAtOnceOnAQuietMachine() throws Exception {
    then(0, 0, 0);
    then(5, 100, 0); // 2 cores, 100 ticks: 0.1 cores busy
    QuietMachine.Settle s = machine(10_000).await();
    assertTrue(s.quiet());
    assertEquals(QuietMachine.WINDOW_MILLIS, s.waitedMillis());
    assertEquals(0.1, s.busyCores(), 1e-9);
  }

  @Test
  void waitsWhileOthersWorkAndNotForItsOwnWork() throws Exception {
    then(0, 0, 0);
    then(80, 100, 0); // the side measured before still works: 1.6 cores
    then(40, 100, 0); // 0.8 cores
    then(60, 100, 58); // this process's own 1.16 cores do not count: 0.04
    QuietMachine.Settle s = machine(10_000).await();
    assertTrue(s.quiet());
    assertEquals(3 * QuietMachine.WINDOW_MILLIS, s.waitedMillis());
    assertEquals(List.of(500L, 500L, 500L), slept);
  }

  @Test
  void givesUpAfterTheLongestWaitAndSaysSo() throws Exception {
    then(0, 0, 0);
    for (int i = 0; i < 10; i++) {
      then(100, 100, 0); // a neighbour that never stops
    }
    QuietMachine.Settle s = machine(1_000).await();
    assertFalse(s.quiet());
    assertEquals(1_000, s.waitedMillis());
    assertEquals(2.0, s.busyCores(), 1e-9);
  }

  @Test
  void doesNotWaitWhenOffOrWhereItCannotCount() throws Exception {
    assertEquals(0, machine(0).await().waitedMillis());
    assertTrue(samples.isEmpty() && slept.isEmpty());
    assertTrue(machine(10_000).await().quiet()); // no sample: not Linux
    assertTrue(slept.isEmpty());
  }

  @Test
  void readsLinuxCounters() {
    QuietMachine.Sample s = QuietMachine.parse(
        "cpu  100 5 50 1000 20 3 2 1 7 0",
        "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 30 12 0 0 20 0 40 0");
    assertEquals(1181, s.machineTotal()); // guest (7) is already inside user: not added again
    assertEquals(161, s.machineBusy()); // all but idle and iowait
    assertEquals(42, s.self()); // utime 30 + stime 12, after a command name with spaces
  }
}
