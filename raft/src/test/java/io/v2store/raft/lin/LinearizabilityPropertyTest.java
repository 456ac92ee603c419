package io.v2store.raft.lin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;
import net.jqwik.api.statistics.Statistics;

/**
 * The search checker against brute force on small random histories. Histories are generated from
 * a real sequential execution (each operation takes effect at a point inside its interval, unknown
 * ones maybe never), then sometimes corrupted in one outcome, so both verdicts occur often.
 */
class LinearizabilityPropertyTest {
  private static final String[] VALUES = {"1", "2", "3"};

  @Property(tries = 2000)
  void searchAgreesWithBruteForce(@ForAll("histories") List<Operation> history) {
    boolean brute = BruteForceChecker.linearizable(history);
    Verdict v = new LinearizabilityChecker().check(history);
    Statistics.collect(brute ? "linearizable" : "violation");
    if (v.linearizable() != brute) {
      throw new AssertionError("brute force says " + brute + ", search says " + v + "\n" + history);
    }
  }

  /** The property proves nothing unless the generator yields both verdicts often. */
  @Example
  void generatorYieldsBothVerdicts() {
    int violations = 0;
    for (long seed = 0; seed < 1000; seed++) {
      if (!BruteForceChecker.linearizable(generate(seed))) violations++;
    }
    if (violations < 100 || violations > 900) {
      throw new AssertionError("violations in 1000 generated histories: " + violations);
    }
  }

  @Provide
  Arbitrary<List<Operation>> histories() {
    return Arbitraries.longs().map(LinearizabilityPropertyTest::generate);
  }

  static List<Operation> generate(long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(7);
    int keys = 1 + r.nextInt(2);
    record Planned(int client, String key, Command command, long from, long point, long to,
        boolean unknown, boolean happens) {}
    List<Planned> plan = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long from = r.nextInt(12);
      long point = from + r.nextInt(6);
      long to = point + r.nextInt(6);
      boolean unknown = r.nextInt(5) == 0;
      plan.add(new Planned(i, "k" + r.nextInt(keys), randomCommand(r), from, point, to, unknown,
          !unknown || r.nextBoolean()));
    }
    plan.sort((a, b) -> Long.compare(a.point(), b.point()));
    Map<String, String> state = new HashMap<>();
    List<Operation> ops = new ArrayList<>();
    for (Planned p : plan) {
      Outcome outcome = p.unknown() ? Outcome.UNKNOWN : null;
      if (p.happens()) {
        String before = state.get(p.key());
        Operation probe = new Operation(p.client(), p.key(), p.command(), Outcome.UNKNOWN, 0, 0);
        String after = RegisterModel.step(before, probe).state();
        if (after == null) state.remove(p.key());
        else state.put(p.key(), after);
        if (outcome == null) outcome = truthful(p.command(), before);
      }
      ops.add(new Operation(p.client(), p.key(), p.command(), outcome, p.from(), p.to()));
    }
    if (r.nextBoolean() && !ops.isEmpty()) {
      int i = r.nextInt(ops.size());
      Operation o = ops.get(i);
      if (!o.indeterminate()) {
        ops.set(i, new Operation(o.client(), o.key(), o.command(), corrupt(o, r), o.invokedAt(),
            o.completedAt()));
      }
    }
    return ops;
  }

  private static Command randomCommand(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> new Command.Set(VALUES[r.nextInt(3)]);
      case 1 -> new Command.Cas(VALUES[r.nextInt(3)], VALUES[r.nextInt(3)]);
      case 2 -> new Command.Delete();
      default -> new Command.Get();
    };
  }

  private static Outcome truthful(Command c, String before) {
    if (c instanceof Command.Set) return Outcome.OK;
    if (c instanceof Command.Cas cas) {
      return cas.expected().equals(before) ? Outcome.OK : Outcome.FAILED;
    }
    if (c instanceof Command.Delete) return before != null ? Outcome.OK : Outcome.FAILED;
    return new Outcome.Read(before);
  }

  private static Outcome corrupt(Operation o, Random r) {
    if (o.command() instanceof Command.Set) return Outcome.OK; // its one possible answer
    if (o.command() instanceof Command.Get) {
      return new Outcome.Read(r.nextInt(4) == 0 ? null : VALUES[r.nextInt(3)]);
    }
    return o.outcome() instanceof Outcome.Ok ? Outcome.FAILED : Outcome.OK;
  }
}
