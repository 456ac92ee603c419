package io.v2store.raft.driver;

import static io.v2store.raft.driver.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.Role;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Messages handed over with stepInBatch/endBatch are stepped, persisted and applied on the thread
 * that received them when the core is free (no hand-off to the raft thread), and entries applied
 * there and on the apply thread are applied once each, in index order.
 */
class InlineRoundsTest {
  private final Map<Long, RaftDriver> drivers = new ConcurrentHashMap<>();
  private final Map<Long, PeerWire> wires = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  /** Sees every message as the sender hands it over, on the sender's thread. */
  private volatile Consumer<Message> sendHook = m -> {};

  @AfterEach
  void stop() {
    drivers.values().forEach(RaftDriver::close);
    wires.values().forEach(PeerWire::close);
  }

  @Test
  void aFollowersAppendIsSyncedAndTheLeadersCommitAppliedOnTheReceivingThread() throws Exception {
    ThreadRecordingLog log1 = new ThreadRecordingLog(MemoryLog.withVoters(1, 2));
    ThreadRecordingLog log2 = new ThreadRecordingLog(MemoryLog.withVoters(1, 2));
    OrderCheckingMachine machine1 = new OrderCheckingMachine();
    OrderCheckingMachine machine2 = new OrderCheckingMachine();
    start(1, log1, machine1);
    start(2, log2, machine2);
    RaftDriver leader = electOne();
    long leaderId = leader.status().id();
    long followerId = leaderId == 1 ? 2 : 1;

    for (int i = 0; i < 20; i++) {
      leader.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
      long target = leader.status().lastIndex();
      awaitTrue(() -> machine1.last >= target && machine2.last >= target, "entry " + target);
    }
    ThreadRecordingLog followers = followerId == 1 ? log1 : log2;
    OrderCheckingMachine leaders = leaderId == 1 ? machine1 : machine2;
    assertTrue(followers.entrySaveThreads.contains("net-to-" + followerId),
        "the follower synced appends only on " + followers.entrySaveThreads);
    assertTrue(leaders.threads.contains("net-to-" + leaderId),
        "the leader applied only on " + leaders.threads);
    assertTrue(leaders.finishThreads.contains("net-to-" + leaderId),
        "a light finish stays where the entries were applied, not only on "
            + leaders.finishThreads);
    assertNothingWentWrong(machine1, machine2);
  }

  /**
   * The leader applies a write it can apply in place before it tells the followers the new commit
   * index: the writer's answer does not wait for those socket writes or the hard state's save.
   */
  @Test
  void theLeaderAppliesACommitBeforeTheCommitIndexLeaves() throws Exception {
    OrderCheckingMachine machine1 = new OrderCheckingMachine();
    OrderCheckingMachine machine2 = new OrderCheckingMachine();
    Map<Long, OrderCheckingMachine> machines = Map.of(1L, machine1, 2L, machine2);
    List<String> lateApplies = new CopyOnWriteArrayList<>();
    AtomicLong commitsSeen = new AtomicLong();
    AtomicLong checked = new AtomicLong();
    sendHook = m -> {
      if (m.getType() != MessageType.MSG_APP || m.getEntriesCount() > 0) return;
      if (m.getCommit() <= commitsSeen.getAndAccumulate(m.getCommit(), Math::max)) return;
      checked.incrementAndGet();
      long applied = machines.get(m.getFrom()).last;
      if (applied < m.getCommit()) {
        lateApplies.add("commit " + m.getCommit() + " sent with " + applied + " applied");
      }
    };
    RaftDriver leader = startPairAndAwaitFirstEntry(machine1, machine2);
    long first = leader.status().lastIndex();
    lateApplies.clear(); // the election's entry may have gone to the apply thread
    checked.set(0);

    for (int i = 0; i < 20; i++) {
      leader.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
      long target = leader.status().lastIndex();
      awaitTrue(() -> machine1.last >= target && machine2.last >= target, "entry " + target);
    }
    // Most commits leave alone in an append without entries; the core may also carry one on a
    // heartbeat or a later append (a follower still being probed), which this does not check.
    assertTrue(checked.get() >= 10, checked + " new commit indexes sent alone, of 20 writes");
    assertEquals(List.of(), lateApplies);
    assertNothingWentWrong(machine1, machine2);
  }

  /**
   * A conf change keeps the contract's first order: its commit index leaves before the leader
   * applies it, because applying one can drop a peer from the transport and a member being
   * removed learns of its removal only from that commit index.
   */
  @Test
  void aConfChangesCommitIndexLeavesBeforeTheLeaderAppliesIt() throws Exception {
    OrderCheckingMachine machine1 = new OrderCheckingMachine();
    OrderCheckingMachine machine2 = new OrderCheckingMachine();
    Map<Long, OrderCheckingMachine> machines = Map.of(1L, machine1, 2L, machine2);
    AtomicLong confChangeIndex = new AtomicLong(Long.MAX_VALUE);
    List<String> seen = new CopyOnWriteArrayList<>();
    sendHook = m -> {
      if (m.getType() != MessageType.MSG_APP || m.getEntriesCount() > 0) return;
      long index = confChangeIndex.get();
      if (m.getCommit() < index || !seen.isEmpty()) return;
      // Time for an apply thread that had the entry already to apply it: only then can a wrong
      // order show here (the right one never fails for it).
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      seen.add("commit " + m.getCommit() + " sent with " + machines.get(m.getFrom()).last
          + " applied");
    };
    RaftDriver leader = startPairAndAwaitFirstEntry(machine1, machine2);
    long first = leader.status().lastIndex();

    confChangeIndex.set(first + 1);
    leader.proposeConfChange(ConfChange.newBuilder()
        .setType(ConfChangeType.CONF_CHANGE_UPDATE_NODE).setNodeId(leader.status().id()).build())
        .get(10, TimeUnit.SECONDS);
    awaitTrue(() -> machine1.last > first && machine2.last > first, "the conf change applied");
    assertEquals(List.of("commit " + (first + 1) + " sent with " + first + " applied"), seen);
    assertNull(fatal.get());
  }

  /** A batch is finished before a snapshot falls due: its watchers do not wait for the writing. */
  @Test
  void aBatchIsFinishedBeforeItsSnapshotIsWritten() throws Exception {
    OrderCheckingMachine machine1 = new OrderCheckingMachine();
    OrderCheckingMachine machine2 = new OrderCheckingMachine();
    DriverConfig snapshotEvery4 = new DriverConfig(100, 4, 2, 64);
    start(1, new ThreadRecordingLog(MemoryLog.withVoters(1, 2)), machine1, snapshotEvery4);
    start(2, new ThreadRecordingLog(MemoryLog.withVoters(1, 2)), machine2, snapshotEvery4);
    RaftDriver leader = electOne();
    for (int i = 0; i < 12; i++) {
      leader.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
      long target = leader.status().lastIndex();
      awaitTrue(() -> machine1.finished >= target && machine2.finished >= target,
          "entry " + target + " finished");
    }
    assertTrue(machine1.snapshots >= 2 && machine2.snapshots >= 2,
        "snapshots written: " + machine1.snapshots + ", " + machine2.snapshots);
    assertNothingWentWrong(machine1, machine2);
  }

  /**
   * A leader whose last snapshot took long hands leadership over before it writes the next: its
   * apply thread will be busy and its raft thread may wait for it. Snapshots of 600 ms here, due
   * every 4 entries; without the hand-over nothing would move the leadership.
   */
  @Test
  void aLeaderHandsLeadershipOverBeforeALongSnapshot() throws Exception {
    OrderCheckingMachine machine1 = new OrderCheckingMachine();
    OrderCheckingMachine machine2 = new OrderCheckingMachine();
    machine1.snapshotMillis = 600;
    machine2.snapshotMillis = 600;
    DriverConfig scaledEvery4 = new DriverConfig(100, 4, 2, 64, true);
    start(1, new ThreadRecordingLog(MemoryLog.withVoters(1, 2)), machine1, scaledEvery4);
    start(2, new ThreadRecordingLog(MemoryLog.withVoters(1, 2)), machine2, scaledEvery4);
    long first = electOne().status().id();
    Set<Long> leaders = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 16; i++) {
      RaftDriver leader = currentLeader();
      leaders.add(leader.status().id());
      try {
        leader.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException refusedDuringTransfer) {
        i--;
        continue;
      }
      long target = leader.status().lastIndex();
      awaitTrue(() -> machine1.finished >= target && machine2.finished >= target,
          "entry " + target + " finished");
    }
    assertTrue(machine1.snapshots >= 2 && machine2.snapshots >= 2,
        "snapshots written: " + machine1.snapshots + ", " + machine2.snapshots);
    assertTrue(leaders.size() == 2, "the leader stayed " + first);
    assertNothingWentWrong(machine1, machine2);
  }

  /** The member that leads now, waiting for one while leadership moves. */
  private RaftDriver currentLeader() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      for (RaftDriver d : drivers.values()) {
        if (d.status().role() == Role.LEADER) return d;
      }
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: a leader");
      Thread.sleep(1);
    }
  }

  /**
   * finishApplied that is not light (watchers to wake) runs on the apply thread after entries the
   * core's holder applied in place; the next entries wait for it, and order holds.
   */
  @Test
  void aHeavyFinishGoesToTheApplyThreadAndTheNextEntriesWaitForIt() throws Exception {
    OrderCheckingMachine machine1 = new OrderCheckingMachine();
    OrderCheckingMachine machine2 = new OrderCheckingMachine();
    machine1.light = false;
    machine2.light = false;
    start(1, new ThreadRecordingLog(MemoryLog.withVoters(1, 2)), machine1);
    start(2, new ThreadRecordingLog(MemoryLog.withVoters(1, 2)), machine2);
    RaftDriver leader = electOne();
    long leaderId = leader.status().id();
    for (int i = 0; i < 20; i++) {
      leader.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
      long target = leader.status().lastIndex();
      awaitTrue(() -> machine1.finished >= target && machine2.finished >= target,
          "entry " + target + " finished");
    }
    OrderCheckingMachine leaders = leaderId == 1 ? machine1 : machine2;
    assertTrue(leaders.threads.contains("net-to-" + leaderId),
        "the leader applied only on " + leaders.threads);
    assertEquals(Set.of("apply-m" + leaderId), leaders.finishThreads);
    assertNothingWentWrong(machine1, machine2);
  }

  @Test
  void aLargeCommittedBatchGoesToTheApplyThreadAndOrderHoldsAcrossBothPaths() throws Exception {
    OrderCheckingMachine machine1 = new OrderCheckingMachine();
    OrderCheckingMachine machine2 = new OrderCheckingMachine();
    MemoryLog memory2 = MemoryLog.withVoters(1, 2);
    start(1, new ThreadRecordingLog(MemoryLog.withVoters(1, 2)), machine1);
    start(2, new ThreadRecordingLog(memory2), machine2);
    RaftDriver leader = electOne();
    long leaderId = leader.status().id();
    PeerWire toLeader = wires.get(leaderId);
    // The follower has acknowledged the leader's first entry: the leader now sends appends
    // without waiting for each answer (it would send only one while probing).
    long first = leader.status().lastIndex();
    awaitTrue(() -> machine1.last >= first && machine2.last >= first, "the first entry");

    // Acknowledgements are held until the follower has every entry: then one read brings them
    // all, and the leader commits a hundred entries in one round. (Ticks of 100 ms: check-quorum
    // deposes a leader only after a second without answers.)
    toLeader.hold();
    List<CompletableFuture<Void>> accepted = new ArrayList<>();
    for (int i = 0; i < 100; i++) accepted.add(leader.propose(new byte[] {2}));
    for (CompletableFuture<Void> f : accepted) f.get(10, TimeUnit.SECONDS);
    long burst = leader.status().lastIndex();
    RaftDriver follower = drivers.get(leaderId == 1 ? 2L : 1L);
    awaitTrue(() -> follower.status().lastIndex() >= burst, "the follower has the burst");
    toLeader.release();
    for (int i = 0; i < 10; i++) {
      leader.propose(new byte[] {3}).get(10, TimeUnit.SECONDS);
      long target = leader.status().lastIndex();
      awaitTrue(() -> machine1.last >= target && machine2.last >= target, "entry " + target);
    }
    OrderCheckingMachine leaders = leaderId == 1 ? machine1 : machine2;
    assertTrue(leaders.threads.contains("apply-m" + leaderId), "batch applied on " + leaders.threads);
    assertTrue(leaders.threads.contains("net-to-" + leaderId), "singles applied on " + leaders.threads);
    assertNothingWentWrong(machine1, machine2);
  }

  private void start(long id, ThreadRecordingLog log, OrderCheckingMachine machine) {
    start(id, log, machine, new DriverConfig(100, 1_000_000, 100, 64));
  }

  private void start(long id, ThreadRecordingLog log, OrderCheckingMachine machine,
      DriverConfig config) {
    wires.put(id, new PeerWire(id, drivers::get));
    DriverListener listener = new DriverListener() {
      @Override
      public void onFatal(Throwable cause) {
        fatal.set(cause);
      }
    };
    RaftDriver driver = new RaftDriver("m" + id, new RawNode(RaftConfig.defaults(id), log), log,
        messages -> {
          for (Message m : messages) {
            sendHook.accept(m);
            wires.get(m.getTo()).send(m);
          }
        }, machine, 0, ConfState.newBuilder().addVoters(1).addVoters(2).build(), config,
        listener);
    drivers.put(id, driver);
    driver.start();
  }

  private void assertNothingWentWrong(OrderCheckingMachine... machines) {
    for (OrderCheckingMachine m : machines) assertNull(m.violation, m.violation);
    assertNull(fatal.get());
  }

  /** Members 1 and 2 with these machines: the leader, once both have applied its first entry. */
  private RaftDriver startPairAndAwaitFirstEntry(OrderCheckingMachine machine1,
      OrderCheckingMachine machine2) throws InterruptedException {
    start(1, new ThreadRecordingLog(MemoryLog.withVoters(1, 2)), machine1);
    start(2, new ThreadRecordingLog(MemoryLog.withVoters(1, 2)), machine2);
    RaftDriver leader = electOne();
    long first = leader.status().lastIndex();
    awaitTrue(() -> machine1.last >= first && machine2.last >= first, "the first entry");
    return leader;
  }

  private RaftDriver electOne() throws InterruptedException {
    drivers.get(1L).campaign();
    awaitTrue(() -> drivers.values().stream().anyMatch(d -> d.status().role() == Role.LEADER),
        "a leader");
    return drivers.values().stream().filter(d -> d.status().role() == Role.LEADER)
        .findFirst().orElseThrow();
  }

  /** Records the threads that synced entries. */
  private static final class ThreadRecordingLog extends DelegatingLog {
    final Set<String> entrySaveThreads = ConcurrentHashMap.newKeySet();

    ThreadRecordingLog(MemoryLog log) {
      super(log);
    }

    @Override
    public void save(HardState hardState, List<Entry> entries, boolean sync) {
      if (!entries.isEmpty()) entrySaveThreads.add(Thread.currentThread().getName());
      super.save(hardState, entries, sync);
    }
  }

  /**
   * Checks that every index is applied once, in order, that each batch is finished before the
   * next is applied, and records the threads that applied and finished.
   */
  private static final class OrderCheckingMachine implements StateMachine {
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final Set<String> finishThreads = ConcurrentHashMap.newKeySet();
    volatile boolean light = true;
    volatile long last;
    volatile long finished;
    volatile String lastThread = "";
    volatile int snapshots;
    volatile long snapshotMillis;
    volatile String violation;

    @Override
    public void applyEntry(long index, ByteString data) {
      String thread = Thread.currentThread().getName();
      threads.add(thread);
      if (index != last + 1 && violation == null) {
        violation = "applied " + index + " after " + last;
      }
      // A batch is applied on one thread without a break, so a change of thread is a new batch,
      // the one place where a batch could start before the previous one was finished.
      if (!thread.equals(lastThread) && finished < last && violation == null) {
        violation = "applied " + index + " on " + thread + " before finishing up to " + last;
      }
      lastThread = thread;
      last = index;
    }

    @Override
    public void finishApplied() {
      finishThreads.add(Thread.currentThread().getName());
      finished = last;
    }

    @Override
    public boolean finishIsLight() {
      return light;
    }

    @Override
    public void applyConfChange(long index, ConfChange change) {
      applyEntry(index, null);
    }

    @Override
    public byte[] snapshot() {
      snapshots++;
      if (snapshotMillis > 0) {
        try {
          Thread.sleep(snapshotMillis); // a snapshot that keeps the apply thread for long
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (finished < last && violation == null) {
        violation = "a snapshot at " + last + " written before finishing past " + finished;
      }
      return new byte[] {1};
    }

    @Override
    public void restore(Snapshot snapshot) {}
  }

}
