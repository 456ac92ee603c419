package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.Role;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A follower whose synced write takes longer than an election timeout (a disk that hangs for a
 * moment) resumes as a follower of the same leader: it takes one tick for the stall, not the 25
 * that fell due. Pre-vote is off (etcd's default), so a campaign would show as a new term. Three
 * members, so that the leader keeps its quorum through the stall.
 */
class StalledFollowerTest {
  private static final long STALL_MILLIS = 2_500; // 25 ticks of 100 ms: past any election timeout
  private final Map<Long, RaftDriver> drivers = new ConcurrentHashMap<>();
  private final Map<Long, PeerWire> wires = new ConcurrentHashMap<>();
  private final Map<Long, StallingLog> logs = new ConcurrentHashMap<>();
  private final Map<Long, IndexRecordingMachine> machines = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();

  @AfterEach
  void stop() {
    drivers.values().forEach(RaftDriver::close);
    wires.values().forEach(PeerWire::close);
  }

  @Test
  void aFollowerStalledInItsSyncResumesWithoutAnElection() throws Exception {
    for (long id = 1; id <= 3; id++) start(id);
    drivers.get(1L).campaign();
    awaitTrue(() -> drivers.get(1L).status().role() == Role.LEADER, "member 1 leads");
    RaftDriver leader = drivers.get(1L);
    long term = leader.status().term();
    leader.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
    long first = leader.status().lastIndex();
    awaitTrue(() -> applied(2) >= first && applied(3) >= first, "the first entry everywhere");

    StallingLog stalled = logs.get(3L);
    stalled.stallNextSave = true;
    leader.propose(new byte[] {2}).get(10, TimeUnit.SECONDS); // members 1 and 2 commit it
    awaitTrue(() -> stalled.stallsDone == 1, "member 3's stalled sync over");
    leader.propose(new byte[] {3}).get(10, TimeUnit.SECONDS);
    long last = leader.status().lastIndex();
    awaitTrue(() -> applied(3) >= last, "member 3 caught up");

    for (RaftDriver d : drivers.values()) {
      assertEquals(term, d.status().term(), "member " + d.status().id() + " in a new term");
      assertEquals(1, d.status().leaderId());
    }
    assertNull(fatal.get());
  }

  private long applied(long id) {
    return machines.get(id).applied.get();
  }

  private void start(long id) {
    wires.put(id, new PeerWire(id, drivers::get));
    StallingLog log = new StallingLog(MemoryLog.withVoters(1, 2, 3));
    logs.put(id, log);
    IndexRecordingMachine machine = new IndexRecordingMachine();
    machines.put(id, machine);
    DriverListener listener = new DriverListener() {
      @Override
      public void onFatal(Throwable cause) {
        fatal.set(cause);
      }
    };
    RaftConfig etcdDefaults = new RaftConfig(id, 10, 1, false, true, 1 << 20, 256, 32L << 20, 0,
        id);
    RaftDriver driver = new RaftDriver("m" + id, new RawNode(etcdDefaults, log), log,
        messages -> {
          for (Message m : messages) wires.get(m.getTo()).send(m);
        }, machine, 0, ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build(),
        new DriverConfig(100, 1_000_000, 100, 64), listener);
    drivers.put(id, driver);
    driver.start();
  }

  /** A log whose next synced write of entries, once asked, hangs for STALL_MILLIS. */
  private static final class StallingLog extends DelegatingLog {
    volatile boolean stallNextSave;
    volatile int stallsDone;

    StallingLog(MemoryLog log) {
      super(log);
    }

    @Override
    public void save(HardState hardState, List<Entry> entries, boolean sync) {
      if (stallNextSave && !entries.isEmpty()) {
        stallNextSave = false;
        try {
          Thread.sleep(STALL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        stallsDone++;
      }
      super.save(hardState, entries, sync);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    Conditions.awaitTrue(condition, what, 20);
  }
}
