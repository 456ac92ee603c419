package io.v2store.raft.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Everything a client simulation run does besides its own random choices: the network's noise,
 * how often a crash tears a Ready apart, and a schedule of faults by step. jqwik generates these
 * and shrinks a failing one to the fewest faults; a plain seed derives one ({@link #fromSeed}).
 *
 * @param seed drives every other random choice (delivery order, clients, election timeouts)
 * @param size members at the start (3 or 5)
 * @param tornReadyPerMille chance per Ready that its member crashes part-way through it
 */
record FaultPlan(long seed, int size, int dropPerMille, int duplicatePerMille, int maxDelayTicks,
    int tornReadyPerMille, List<Fault> faults) {

  enum Kind { CRASH, RESTART, PARTITION, HEAL, TRANSFER, COMPACT, STALL, REMOVE_MEMBER, ADD_MEMBER }

  /**
   * One fault at a step. target is a member index (taken modulo the member count) or, for a
   * partition, a bit set of the members cut off from the rest; a stall lasts 5 + target ticks.
   */
  record Fault(int atStep, Kind kind, int target) {}

  FaultPlan {
    faults = faults.stream().sorted(Comparator.comparingInt(Fault::atStep)).toList();
  }

  static FaultPlan fromSeed(long seed, int steps) {
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + 7);
    int size = seed % 2 == 0 ? 3 : 5;
    boolean membership = seed % 5 == 0;
    List<Fault> faults = new ArrayList<>();
    int count = r.nextInt(steps / 15 + 1);
    for (int i = 0; i < count; i++) {
      Kind kind = Kind.values()[r.nextInt(membership ? 9 : 7)];
      faults.add(new Fault(r.nextInt(steps), kind, r.nextInt(32)));
    }
    return new FaultPlan(seed, size, r.nextInt(120), r.nextInt(60), 1 + r.nextInt(4),
        r.nextInt(4), faults);
  }

  @Override
  public String toString() {
    return "FaultPlan[seed=" + seed + ", size=" + size + ", drop=" + dropPerMille + "‰, dup="
        + duplicatePerMille + "‰, delay<=" + maxDelayTicks + ", torn=" + tornReadyPerMille
        + "‰, faults=" + faults + "]";
  }
}
