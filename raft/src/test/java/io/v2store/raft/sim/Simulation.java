package io.v2store.raft.sim;

import com.google.protobuf.ByteString;
import io.v2store.raft.RaftStatus;
import io.v2store.raft.ReadState;
import io.v2store.raft.Ready;
import io.v2store.raft.Role;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A whole group in one thread, driven by one seed: ticks, proposals, reads, crashes and restarts
 * (losing whatever a Ready had not persisted yet), partitions, leadership transfers and
 * compaction, with every safety property checked after every step. A failure names its seed and
 * replays exactly.
 */
final class Simulation {
  private final long seed;
  private final Random random;
  private final SimNetwork network;
  private final List<SimNode> nodes = new ArrayList<>();
  private final SafetyChecker checker = new SafetyChecker();
  /** ReadIndex contexts and the smallest index a linearizable answer may carry. */
  private final Map<ByteString, Long> pendingReads = new HashMap<>();
  private int step;
  private boolean faults = true;
  private int proposals;
  int readsAnswered;

  Simulation(long seed, int size) {
    this.seed = seed;
    this.random = new Random(seed);
    this.network = new SimNetwork(random);
    long[] ids = new long[size];
    for (int i = 0; i < size; i++) ids[i] = i + 1;
    for (long id : ids) nodes.add(new SimNode(id, ids, seed));
  }

  void run(int steps) {
    try {
      for (step = 0; step < steps; step++) {
        randomAction();
        processAll();
        checkAfterStep(step % 50 == 0);
      }
      settle();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("simulation failed: seed=" + seed + " step=" + step + ": " + e, e);
    }
  }

  private void randomAction() {
    int roll = random.nextInt(100);
    SimNode n = randomUp();
    if (roll < 40) {
      // Messages are due within maxDelayTicks; deliver the due ones, interleaved with the Readies
      // they cause, before time moves on, so the backlog stays bounded.
      deliverDue();
      tickAll();
    } else if (roll < 65) {
      deliverSome(1 + random.nextInt(6));
    } else if (roll < 80) {
      if (n != null) n.raft.propose(("p" + seed + "-" + proposals++).getBytes());
    } else if (roll < 84) {
      if (n != null) issueRead(n);
    } else if (roll < 86) {
      if (n != null) n.crash();
    } else if (roll < 90) {
      for (SimNode d : nodes) {
        if (!d.up) {
          d.start();
          break;
        }
      }
    } else if (roll < 92) {
      Set<Long> side = new HashSet<>();
      for (SimNode s : nodes) if (random.nextInt(3) == 0) side.add(s.id);
      network.partition(side);
    } else if (roll < 95) {
      network.heal();
    } else if (roll < 96) {
      if (n != null) n.raft.transferLeadership(1 + random.nextInt(nodes.size()));
    } else if (roll < 98) {
      if (n != null) compact(n);
    }
  }

  private SimNode randomUp() {
    List<SimNode> up = nodes.stream().filter(s -> s.up).toList();
    return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
  }

  private void tickAll() {
    network.now++;
    for (SimNode n : nodes) if (n.up) n.raft.tick();
  }

  private void deliverDue() {
    for (int i = 0; i < 10_000 && network.hasDue(); i++) {
      deliverSome(1 + random.nextInt(4));
      processAll();
    }
  }

  private void deliverSome(int count) {
    for (int i = 0; i < count; i++) {
      Message m = network.next();
      if (m == null) continue;
      SimNode to = nodes.get((int) m.getTo() - 1);
      if (to.up) to.raft.step(m);
    }
  }

  private void issueRead(SimNode n) {
    ByteString ctx = ByteString.copyFrom(ByteBuffer.allocate(8).putLong(random.nextLong()).array());
    // Anything committed anywhere before the read was issued must be visible to it.
    long mustSee = checker.maxApplied();
    for (SimNode s : nodes) if (s.up) mustSee = Math.max(mustSee, s.raft.status().commitIndex());
    pendingReads.put(ctx, mustSee);
    n.raft.readIndex(ctx.toByteArray());
  }

  private void compact(SimNode n) {
    if (n.appliedIndex <= n.disk.firstIndex()) return;
    n.disk.createSnapshot(n.appliedIndex, n.disk.initialState().confState(), n.encodeState());
    n.disk.compact(Math.max(n.disk.firstIndex(), n.appliedIndex - random.nextInt(3)));
  }

  private void processAll() {
    boolean any = true;
    for (int round = 0; any && round < 100; round++) {
      any = false;
      for (SimNode n : nodes) {
        while (n.up && n.raft.hasReady()) {
          any = true;
          handleReady(n, n.raft.ready());
        }
      }
    }
  }

  /** The driver's contract, with a crash possible between its steps. */
  private void handleReady(SimNode n, Ready rd) {
    sendAll(n, rd.messages());
    if (faults && random.nextInt(1000) < 3) {
      n.crash(); // nothing of this Ready is durable
      return;
    }
    if (rd.snapshot() != null) n.disk.applySnapshot(rd.snapshot());
    n.disk.save(rd.hardState(), rd.entries(), rd.mustSync());
    for (Entry e : rd.entries()) checker.onPersisted(n.disk, e);
    if (faults && random.nextInt(1000) < 3) {
      n.crash(); // durable, but the acknowledgements never left
      return;
    }
    sendAll(n, rd.messagesAfterPersist());
    long term = n.raft.status().term();
    if (rd.snapshot() != null) {
      n.restoreState(rd.snapshot());
      checker.onApplied(n.id, n.appliedIndex, n.stateHash, null, term);
    }
    for (Entry e : rd.committedEntries()) {
      n.apply(e);
      checker.onApplied(n.id, n.appliedIndex, n.stateHash, e, term);
    }
    for (ReadState rs : rd.readStates()) {
      Long mustSee = pendingReads.remove(ByteString.copyFrom(rs.requestContext()));
      if (mustSee == null) continue; // answered twice (duplicated request): the first counted
      if (rs.index() < mustSee) {
        throw new AssertionError("stale read: index " + rs.index() + " < committed " + mustSee);
      }
      readsAnswered++;
    }
    n.raft.advance(rd);
  }

  private void sendAll(SimNode from, List<Message> messages) {
    for (Message m : messages) {
      boolean queued = network.send(m);
      if (m.getType() == MessageType.MSG_SNAP) from.raft.reportSnapshot(m.getTo(), !queued);
      else if (!queued && random.nextInt(4) == 0) from.raft.reportUnreachable(m.getTo());
    }
  }

  private void checkAfterStep(boolean deep) {
    for (SimNode n : nodes) {
      if (!n.up) continue;
      RaftStatus s = n.raft.status();
      if (s.role() == Role.LEADER) {
        checker.onLeader(s.term(), n.id);
        checker.checkLeaderCompleteness(n.id, s.term(), n.disk, deep);
      }
      if (s.commitIndex() > s.lastIndex()) {
        throw new AssertionError("member " + n.id + " commits beyond its log");
      }
    }
  }

  /**
   * Liveness once the faults stop: every member restarts, the network heals and stops losing
   * messages, and then a leader must be elected and commit a proposal on every member.
   */
  private void settle() {
    for (SimNode n : nodes) if (!n.up) n.start();
    network.calm();
    faults = false;
    byte[] last = ("final-" + seed).getBytes();
    boolean proposed = false;
    for (int t = 0; t < 400; t++) {
      step++;
      tickAll();
      processAll();
      deliverDue();
      checkAfterStep(false);
      SimNode leader = nodes.stream()
          .filter(n -> n.raft.status().role() == Role.LEADER).findFirst().orElse(null);
      // a proposal accepted by a leader about to be deposed is lost: propose again later
      if (t % 30 == 29) proposed = false;
      if (leader != null && !proposed) proposed = leader.raft.propose(last);
      if (System.getProperty("raft.sim.debug") != null) System.err.println("settle " + t + " proposed=" + proposed + " " + statuses());
      if (proposed && allApplied(last)) {
        readFromEveryMember();
        return;
      }
    }
    throw new AssertionError("no progress after healing: " + statuses());
  }

  /** In a calm network every member's read must be answered, and see the final write. */
  private void readFromEveryMember() {
    int before = readsAnswered;
    pendingReads.clear();
    for (SimNode n : nodes) issueRead(n);
    for (int t = 0; t < 50 && readsAnswered - before < nodes.size(); t++) {
      processAll();
      deliverDue();
      tickAll();
    }
    if (readsAnswered - before < nodes.size()) {
      throw new AssertionError("reads unanswered in a calm network: " + pendingReads.size());
    }
  }

  private boolean allApplied(byte[] data) {
    long index = -1;
    for (SimNode n : nodes) {
      if (n.appliedIndex == 0) return false;
    }
    for (SimNode n : nodes) {
      RaftStatus s = n.raft.status();
      if (s.appliedIndex() < s.lastIndex()) return false;
      if (index == -1) index = s.appliedIndex();
      if (s.appliedIndex() != index) return false;
    }
    // the last proposal must be in the log, applied everywhere
    SimNode any = nodes.get(0);
    for (long i = Math.max(any.disk.firstIndex(), index - 5); i <= index; i++) {
      if (any.disk.entries(i, i + 1, Long.MAX_VALUE).get(0).getData()
          .equals(ByteString.copyFrom(data))) {
        return true;
      }
    }
    return false;
  }

  private String statuses() {
    StringBuilder sb = new StringBuilder();
    for (SimNode n : nodes) sb.append(n.up ? n.raft.status() : "down").append(' ');
    return sb.toString();
  }
}
