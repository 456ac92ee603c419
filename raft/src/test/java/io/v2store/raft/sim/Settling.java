package io.v2store.raft.sim;

import io.v2store.raft.RaftStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Liveness and convergence once the faults stop: every member that was not removed restarts, the
 * network heals and stops losing messages; then a leader must bring every voter to its last
 * index, every voter must hold the same keys, and a quorum get of every key sent to every voter
 * must be answered.
 */
final class Settling {
  private static final int MAX_TICKS = 600;

  private final ClientSimulation sim;

  Settling(ClientSimulation sim) {
    this.sim = sim;
  }

  void settle() {
    sim.stopFaults();
    for (KvNode n : sim.members().all()) if (!n.up && !n.removed) n.start();
    List<KvNode> voters = waitForConvergence();
    Map<String, String> first = voters.get(0).state.view();
    for (KvNode n : voters) {
      if (!n.state.view().equals(first)) {
        throw new AssertionError("members differ after healing: " + voters.get(0).id + "=" + first
            + " " + n.id + "=" + n.state.view());
      }
    }
    readEveryKeyFromEveryVoter(voters);
  }

  private List<KvNode> waitForConvergence() {
    for (int t = 0; t < MAX_TICKS; t++) {
      sim.tick();
      sim.processAll();
      sim.deliverDue();
      sim.checkAfterStep();
      sim.clients().expire(sim.network().now, ClientSimulation.CLIENT_TIMEOUT_TICKS);
      List<KvNode> voters = convergedVoters();
      if (voters != null && !sim.clients().busy()) return voters;
    }
    throw new AssertionError("no convergence after healing: " + sim.members().statuses());
  }

  /** The leader's voters if all are up, running and applied to its last index, else null. */
  private List<KvNode> convergedVoters() {
    KvNode leader = sim.members().leader();
    if (leader == null) return null;
    RaftStatus ls = leader.raft.status();
    if (ls.commitIndex() < ls.lastIndex()) return null;
    List<KvNode> voters = new ArrayList<>();
    for (long id : leader.confState.getVotersList()) {
      KvNode n = sim.members().byId(id);
      if (n == null || !n.up || n.stalled() || n.state.appliedIndex != ls.lastIndex()) return null;
      voters.add(n);
    }
    return voters;
  }

  /**
   * Every voter must answer a quorum get of every key. A leadership change (a transfer still in
   * flight when the faults stopped) drops pending reads by design, so an unanswered read times
   * out and is asked again, a bounded number of times.
   */
  private void readEveryKeyFromEveryVoter(List<KvNode> voters) {
    int client = 100;
    java.util.Map<Integer, String> asked = new java.util.TreeMap<>();
    java.util.Set<String> answered = new java.util.TreeSet<>();
    for (int attempt = 0; attempt < 5 && answered.size() < voters.size() * SimClients.KEYS.length;
        attempt++) {
      for (KvNode n : voters) {
        for (String key : SimClients.KEYS) {
          if (answered.contains(n.id + "/" + key)) continue;
          asked.put(client, n.id + "/" + key);
          SimClients.InFlight f = sim.clients().invokeGet(client++, key, sim.network().now);
          sim.sendTo(n, f);
        }
      }
      for (int t = 0; t <= ClientSimulation.CLIENT_TIMEOUT_TICKS && sim.clients().busy(); t++) {
        sim.processAll();
        sim.deliverDue();
        sim.tick();
      }
      sim.clients().expire(Long.MAX_VALUE, 0);
      for (var op : sim.clients().history()) {
        if (op.client() >= 100 && !op.indeterminate()) answered.add(asked.get(op.client()));
      }
    }
    if (answered.size() < voters.size() * SimClients.KEYS.length) {
      throw new AssertionError("quorum gets unanswered in a calm network: answered " + answered
          + " " + sim.members().statuses());
    }
  }
}
