package io.v2store.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.lin.Command;
import io.v2store.raft.lin.Operation;
import io.v2store.raft.lin.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client simulation over many seeds, each history checked for linearizability. Replay one
 * failure with {@code -Draft.sim.seed=<seed>}; run more seeds with {@code -Draft.sim.seeds=100000}
 * (see raft/SIMULATION.md).
 */
class ClientSimulationTest {
  static final int STEPS = 400;
  private static final int DEFAULT_SEEDS = 2000;

  @Test
  void everyHistoryIsLinearizableForManySeeds() {
    String only = System.getProperty("raft.sim.seed");
    if (only != null) {
      long seed = Long.parseLong(only);
      List<Operation> h = new ClientSimulation(FaultPlan.fromSeed(seed, STEPS)).run(STEPS);
      System.out.println("seed " + seed + ": " + h.size() + " operations, linearizable");
      return;
    }
    int seeds = Integer.getInteger("raft.sim.seeds", DEFAULT_SEEDS);
    long first = Long.getLong("raft.sim.firstSeed", 1);
    Tally tally = new Tally();
    long started = System.nanoTime();
    for (long seed = first; seed < first + seeds; seed++) {
      tally.add(new ClientSimulation(FaultPlan.fromSeed(seed, STEPS)).run(STEPS));
    }
    System.out.printf("client simulation: %d seeds in %d ms, %s%n", seeds,
        (System.nanoTime() - started) / 1_000_000, tally);
    // the runs must have exercised what the checker is for, not only quiet histories
    assertTrue(tally.acknowledgedWrites > 5L * seeds, tally::toString);
    assertTrue(tally.reads > 5L * seeds, tally::toString);
    assertTrue(tally.casFailed > 0 && tally.casOk > 0, tally::toString);
    assertTrue(tally.unknown > seeds / 10, tally::toString);
  }

  @Test
  void aSeedReplaysExactly() {
    FaultPlan plan = FaultPlan.fromSeed(10, STEPS); // five members, membership changes
    assertEquals(new ClientSimulation(plan).run(STEPS), new ClientSimulation(plan).run(STEPS));
  }

  /** Counts of what the histories held, to show the suite is not vacuous. */
  static final class Tally {
    long acknowledgedWrites;
    long reads;
    long casOk;
    long casFailed;
    long unknown;

    void add(List<Operation> history) {
      for (Operation op : history) {
        if (op.indeterminate()) unknown++;
        else if (op.command() instanceof Command.Get) reads++;
        else acknowledgedWrites++;
        if (op.command() instanceof Command.Cas) {
          if (op.outcome() instanceof Outcome.Ok) casOk++;
          if (op.outcome() instanceof Outcome.Failed) casFailed++;
        }
      }
    }

    @Override
    public String toString() {
      return "writes=" + acknowledgedWrites + " reads=" + reads + " casOk=" + casOk
          + " casFailed=" + casFailed + " unknown=" + unknown;
    }
  }
}
