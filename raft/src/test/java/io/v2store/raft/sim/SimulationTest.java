package io.v2store.raft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic simulation over many seeds. To replay one failure:
 * {@code mvn -pl raft test -Dtest=SimulationTest -Draft.sim.seed=<seed>}.
 */
class SimulationTest {
  private static final int SEEDS = 300;
  private static final int STEPS = 600;

  @Test
  void safetyHoldsUnderFaultsForManySeeds() {
    String only = System.getProperty("raft.sim.seed");
    if (only != null) {
      long seed = Long.parseLong(only);
      new Simulation(seed, seed % 2 == 0 ? 3 : 5).run(STEPS);
      return;
    }
    int reads = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      Simulation sim = new Simulation(seed, seed % 2 == 0 ? 3 : 5);
      sim.run(STEPS);
      reads += sim.readsAnswered;
    }
    System.out.println("simulation: " + SEEDS + " seeds, " + reads + " reads answered");
    // every seed ends with one answered read per member in a calm network, plus those under faults
    assertTrue(reads > 4 * SEEDS, "reads answered: " + reads);
  }

  @Test
  void aSeedReplaysExactly() {
    Simulation a = new Simulation(42, 5);
    a.run(STEPS);
    Simulation b = new Simulation(42, 5);
    b.run(STEPS);
    assertTrue(a.readsAnswered == b.readsAnswered, "same seed, same run");
  }
}
