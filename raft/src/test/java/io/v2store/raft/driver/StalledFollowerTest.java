package io.v2store.raft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.v2store.raft.MemoryLog;
import io.v2store.raft.Role;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
  private final ThreeDrivers members = new ThreeDrivers(100, false);
  private final Map<Long, StallingLog> logs = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    members.close();
  }

  @Test
  void aFollowerStalledInItsSyncResumesWithoutAnElection() throws Exception {
    for (long id = 1; id <= 3; id++) {
      StallingLog log = new StallingLog(MemoryLog.withVoters(1, 2, 3));
      logs.put(id, log);
      members.start(id, log);
    }
    RaftDriver leader = members.get(1L);
    leader.campaign();
    awaitTrue(() -> leader.status().role() == Role.LEADER, "member 1 leads");
    long term = leader.status().term();
    leader.propose(new byte[] {1}).get(10, TimeUnit.SECONDS);
    long first = leader.status().lastIndex();
    awaitTrue(() -> members.applied(2) >= first && members.applied(3) >= first,
        "the first entry everywhere");

    StallingLog stalled = logs.get(3L);
    stalled.stallNextSave = true;
    leader.propose(new byte[] {2}).get(10, TimeUnit.SECONDS); // members 1 and 2 commit it
    awaitTrue(() -> stalled.stallsDone == 1, "member 3's stalled sync over");
    leader.propose(new byte[] {3}).get(10, TimeUnit.SECONDS);
    long last = leader.status().lastIndex();
    awaitTrue(() -> members.applied(3) >= last, "member 3 caught up");

    for (long id = 1; id <= 3; id++) {
      assertEquals(term, members.get(id).status().term(), "member " + id + " in a new term");
      assertEquals(1, members.get(id).status().leaderId());
    }
    assertNull(members.fatal.get());
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
