package io.v2store.raft.sim;

import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns one scheduled fault into actions on the simulated cluster. */
final class FaultInjector {
  private final ClientSimulation sim;

  FaultInjector(ClientSimulation sim) {
    this.sim = sim;
  }

  void inject(FaultPlan.Fault f) {
    List<KvNode> all = sim.members().all();
    KvNode target = all.get(f.target() % all.size());
    switch (f.kind()) {
      case CRASH -> {
        if (target.up) target.crash();
      }
      case RESTART -> restartOneFrom(all, f.target());
      case PARTITION -> {
        Set<Long> side = new HashSet<>();
        for (KvNode n : all) if ((f.target() >> (n.id - 1) & 1) != 0) side.add(n.id);
        sim.network().partition(side);
      }
      case HEAL -> sim.network().heal();
      case TRANSFER -> {
        KvNode leader = sim.members().leader();
        if (leader != null && !leader.stalled()) leader.raft.transferLeadership(target.id);
      }
      case COMPACT -> {
        if (target.up) target.compact(sim.random().nextInt(3));
      }
      case STALL -> {
        if (target.up && !target.stalled()) target.stallLeft = 5 + f.target();
      }
      case REMOVE_MEMBER -> removeMember(f.target());
      case ADD_MEMBER -> addMember();
    }
  }

  private static void restartOneFrom(List<KvNode> all, int start) {
    for (int i = 0; i < all.size(); i++) {
      KvNode n = all.get((start + i) % all.size());
      if (!n.up && !n.removed) {
        n.start();
        return;
      }
    }
  }

  /** Single-member removal, never below three voters (so a majority survives one crash). */
  private void removeMember(int target) {
    KvNode leader = sim.members().leader();
    if (leader == null || leader.stalled()) return;
    List<Long> voters = leader.confState.getVotersList();
    if (voters.size() <= 3) return;
    long victim = voters.get(target % voters.size());
    leader.raft.proposeConfChange(ConfChange.newBuilder()
        .setType(ConfChangeType.CONF_CHANGE_REMOVE_NODE).setNodeId(victim).build());
  }

  /** Single-member addition, up to five voters; the member starts once the change commits. */
  private void addMember() {
    KvNode leader = sim.members().leader();
    if (leader == null || leader.stalled()) return;
    List<Long> voters = leader.confState.getVotersList();
    if (voters.size() >= 5) return;
    leader.raft.proposeConfChange(ConfChange.newBuilder()
        .setType(ConfChangeType.CONF_CHANGE_ADD_NODE).setNodeId(sim.members().reserveId()).build());
  }
}
