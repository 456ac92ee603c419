package io.v2store.raft.sim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.raft.RaftStatus;
import io.v2store.raft.ReadState;
import io.v2store.raft.Ready;
import io.v2store.raft.Role;
import io.v2store.raft.lin.Command;
import io.v2store.raft.lin.LinearizabilityChecker;
import io.v2store.raft.lin.Operation;
import io.v2store.raft.lin.Outcome;
import io.v2store.raft.lin.Verdict;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A whole cluster with clients in one thread: members run the key-value state machine, clients
 * send set/CAS/delete to any member (a follower forwards the proposal) and quorum gets through
 * ReadIndex, with timeouts. The network, crashes, stalls, partitions, transfers, compaction and
 * membership changes follow a {@link FaultPlan}; the Raft safety properties are checked after
 * every step and the clients' history by the linearizability checker at the end.
 */
final class ClientSimulation {
  static final int CLIENT_TIMEOUT_TICKS = 40;

  private final FaultPlan plan;
  private final Random random;
  private final SimNetwork network;
  private final ClusterMembers members;
  private final SafetyChecker safety = new SafetyChecker();
  private final SimClients clients;
  private int step;
  private int nextFault;
  private boolean faults = true;

  ClientSimulation(FaultPlan plan) {
    this.plan = plan;
    this.random = new Random(plan.seed());
    this.network = new SimNetwork(random);
    network.dropPerMille = plan.dropPerMille();
    network.duplicatePerMille = plan.duplicatePerMille();
    network.maxDelayTicks = plan.maxDelayTicks();
    this.members = new ClusterMembers(plan.size(), plan.seed());
    this.clients = new SimClients(random, 4, plan.seed());
  }

  /** Runs, settles and checks; the error names the plan (and so the seed) and the history. */
  List<Operation> run(int steps) {
    try {
      for (step = 0; step < steps; step++) {
        injectFaults();
        randomAction();
        processAll();
        checkAfterStep();
        clients.expire(network.now, CLIENT_TIMEOUT_TICKS);
      }
      new Settling(this).settle();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("simulation failed: " + plan + " step=" + step + ": " + e, e);
    }
    Verdict v = new LinearizabilityChecker().check(clients.history());
    if (!v.linearizable()) {
      throw new AssertionError("simulation history not linearizable: " + plan + "\n" + v);
    }
    return clients.history();
  }

  private void injectFaults() {
    List<FaultPlan.Fault> fs = plan.faults();
    while (nextFault < fs.size() && fs.get(nextFault).atStep() <= step) {
      new FaultInjector(this).inject(fs.get(nextFault++));
    }
  }

  private void randomAction() {
    int roll = random.nextInt(100);
    if (roll < 45) {
      deliverDue();
      tick();
    } else if (roll < 70) {
      deliverSome(1 + random.nextInt(6));
    } else {
      int c = clients.idleClient();
      if (c >= 0) send(clients.invoke(c, network.now));
    }
  }

  /** The client connects to a random member; a member that is down refuses the connection. */
  private void send(SimClients.InFlight f) {
    sendTo(members.all().get(random.nextInt(members.all().size())), f);
  }

  void sendTo(KvNode n, SimClients.InFlight f) {
    if (!n.up || n.stalled()) {
      clients.refused(f.opId());
      return;
    }
    if (f.command() instanceof Command.Get) {
      ByteString ctx = ByteString.copyFrom(ByteBuffer.allocate(8).putLong(f.opId()).array());
      n.pendingReads.put(ctx, f.opId());
      n.raft.readIndex(ctx.toByteArray());
      return;
    }
    byte[] data = new KvCommand(f.opId(), f.key(), f.command()).encode();
    if (!n.raft.propose(data)) {
      clients.refused(f.opId());
      return;
    }
    n.pendingWrites.put(f.opId(), f.opId());
  }

  void tick() {
    network.now++;
    for (KvNode n : members.all()) {
      if (!n.up) continue;
      if (!n.stalled()) {
        n.raft.tick();
      } else {
        n.stallMissed++;
        if (--n.stallLeft == 0) resumeAfterStall(n);
      }
    }
  }

  /** As RaftDriver's first round after a stall: what arrived, then the ticks that fell due. */
  private void resumeAfterStall(KvNode n) {
    n.raft.suspendLease();
    for (Message m : n.heldDuringStall) n.raft.step(m);
    n.heldDuringStall.clear();
    n.raft.tickAfterStall(n.stallMissed);
    n.raft.resumeLease();
    n.stallMissed = 0;
  }

  void deliverDue() {
    for (int i = 0; i < 10_000 && network.hasDue(); i++) {
      deliverSome(1 + random.nextInt(4));
      processAll();
    }
  }

  private void deliverSome(int count) {
    for (int i = 0; i < count; i++) {
      Message m = network.next();
      if (m == null) continue;
      KvNode to = members.byId(m.getTo());
      if (to == null || !to.up) continue;
      if (to.stalled()) to.heldDuringStall.add(m);
      else to.raft.step(m);
    }
  }

  void processAll() {
    boolean any = true;
    for (int round = 0; any && round < 100; round++) {
      any = false;
      // a copy: applying a membership addition starts a new member
      for (KvNode n : List.copyOf(members.all())) {
        while (n.up && !n.stalled() && n.raft.hasReady()) {
          any = true;
          handleReady(n, n.raft.ready());
        }
      }
    }
  }

  /** The driver's contract, with a crash possible between its steps. */
  private void handleReady(KvNode n, Ready rd) {
    sendAll(n, rd.messages());
    if (tornHere()) {
      n.crash(); // nothing of this Ready is durable
      return;
    }
    if (rd.snapshot() != null) n.disk.applySnapshot(rd.snapshot());
    n.disk.save(rd.hardState(), rd.entries(), rd.mustSync());
    for (Entry e : rd.entries()) safety.onPersisted(n.disk, e);
    if (tornHere()) {
      n.crash(); // durable, but the acknowledgements never left
      return;
    }
    sendAll(n, rd.messagesAfterPersist());
    long term = n.raft.status().term();
    if (rd.snapshot() != null) {
      n.installSnapshot(rd.snapshot());
      safety.onApplied(n.id, n.state.appliedIndex, n.state.hash(), null, term);
    }
    boolean removedSelf = false;
    for (Entry e : rd.committedEntries()) {
      removedSelf |= apply(n, e);
      safety.onApplied(n.id, n.state.appliedIndex, n.state.hash(), e, term);
    }
    for (ReadState rs : rd.readStates()) {
      Long opId = n.pendingReads.remove(ByteString.copyFrom(rs.requestContext()));
      if (opId != null) n.waitingReads.add(new KvNode.WaitingRead(rs.index(), opId));
    }
    serveReads(n);
    n.raft.advance(rd);
    if (removedSelf) {
      n.crash(); // a removed member shuts down, as etcd's does
      n.removed = true;
    }
  }

  private boolean tornHere() {
    return faults && random.nextInt(1000) < plan.tornReadyPerMille();
  }

  /** Applies one committed entry; true when it removed this very member. */
  private boolean apply(KvNode n, Entry e) {
    if (e.getType() == EntryType.ENTRY_CONF_CHANGE) {
      ConfChange cc;
      try {
        cc = ConfChange.parseFrom(e.getData());
      } catch (InvalidProtocolBufferException ex) {
        throw new AssertionError("corrupt conf change at " + e.getIndex(), ex);
      }
      n.confState = n.raft.applyConfChange(cc);
      n.state.skip(e.getIndex());
      if (cc.getType() == ConfChangeType.CONF_CHANGE_ADD_NODE) {
        members.startJoined(cc.getNodeId(), n.confState.getVotersList());
      }
      return cc.getType() == ConfChangeType.CONF_CHANGE_REMOVE_NODE && cc.getNodeId() == n.id;
    }
    if (e.getData().isEmpty()) {
      n.state.skip(e.getIndex());
      return false;
    }
    KvCommand kc = KvCommand.decode(e.getData().toByteArray());
    Outcome outcome = n.state.apply(e.getIndex(), kc);
    if (outcome != null && n.pendingWrites.remove(kc.opId()) != null) {
      clients.answer(kc.opId(), outcome);
    }
    return false;
  }

  private void serveReads(KvNode n) {
    for (var it = n.waitingReads.iterator(); it.hasNext(); ) {
      KvNode.WaitingRead w = it.next();
      if (n.state.appliedIndex < w.index()) continue;
      it.remove();
      SimClients.InFlight f = clients.inFlight(w.opId());
      if (f != null) clients.answer(w.opId(), new Outcome.Read(n.state.get(f.key())));
    }
  }

  private void sendAll(KvNode from, List<Message> messages) {
    for (Message m : messages) {
      boolean queued = network.send(m);
      if (m.getType() == MessageType.MSG_SNAP) from.raft.reportSnapshot(m.getTo(), !queued);
      else if (!queued && random.nextInt(4) == 0) from.raft.reportUnreachable(m.getTo());
    }
  }

  void checkAfterStep() {
    for (KvNode n : members.all()) {
      if (!n.up) continue;
      RaftStatus s = n.raft.status();
      if (s.role() == Role.LEADER) {
        safety.onLeader(s.term(), n.id);
        safety.checkLeaderCompleteness(n.id, s.term(), n.disk, step % 50 == 0);
      }
      if (s.commitIndex() > s.lastIndex()) {
        throw new AssertionError("member " + n.id + " commits beyond its log");
      }
    }
  }

  // ---- for the fault injector and the settling phase ----

  SimNetwork network() {
    return network;
  }

  ClusterMembers members() {
    return members;
  }

  SimClients clients() {
    return clients;
  }

  Random random() {
    return random;
  }

  void stopFaults() {
    faults = false;
    network.calm();
  }

  List<Operation> history() {
    return new ArrayList<>(clients.history());
  }
}
