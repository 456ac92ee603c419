package io.v2store.raft.sim;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * jqwik generates whole fault schedules for the client simulation; when one fails it shrinks the
 * schedule (fewer faults, calmer network, smaller seed) and reports the smallest failing
 * {@link FaultPlan}, which replays exactly.
 */
class ClientSimulationPropertyTest {
  private static final int STEPS = ClientSimulationTest.STEPS;

  @Property(tries = 150)
  void linearizableUnderAnyFaultSchedule(@ForAll("plans") FaultPlan plan) {
    new ClientSimulation(plan).run(STEPS);
  }

  @Provide
  Arbitrary<FaultPlan> plans() {
    Arbitrary<FaultPlan.Fault> fault = Combinators.combine(
        Arbitraries.integers().between(0, STEPS - 1),
        Arbitraries.of(FaultPlan.Kind.class),
        Arbitraries.integers().between(0, 31)).as(FaultPlan.Fault::new);
    Arbitrary<List<FaultPlan.Fault>> faults = fault.list().ofMaxSize(40);
    return Combinators.combine(
        Arbitraries.longs().between(0, 1L << 40),
        Arbitraries.of(3, 5),
        Arbitraries.integers().between(0, 150),
        Arbitraries.integers().between(0, 80),
        Arbitraries.integers().between(1, 5),
        Arbitraries.integers().between(0, 5),
        faults).as(FaultPlan::new);
  }
}
