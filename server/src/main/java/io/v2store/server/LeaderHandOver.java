package io.v2store.server;

import io.v2store.raft.RaftDetail.PeerProgress;
import io.v2store.raft.Role;
import io.v2store.raft.driver.RaftDriver;
import io.v2store.raft.transport.PeerTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * On a graceful stop, a leader hands leadership to its most caught-up connected follower first,
 * so clients see no election gap (etcd does the same on SIGTERM). The most caught-up one needs the
 * fewest entries sent before it can take over.
 */
final class LeaderHandOver implements Runnable {
  private static final Logger LOG = Logger.getLogger("etcd");
  private static final long POLL_NANOS = 10_000_000;

  private final String name;
  private final RaftDriver driver;
  private final Members members;
  private final PeerTransport transport;
  private final long electionTimeoutMillis;

  LeaderHandOver(String name, RaftDriver driver, Members members, PeerTransport transport,
      long electionTimeoutMillis) {
    this.name = name;
    this.driver = driver;
    this.members = members;
    this.transport = transport;
    this.electionTimeoutMillis = electionTimeoutMillis;
  }

  @Override
  public void run() {
    if (driver.status().role() != Role.LEADER) return;
    long selfId = members.selfId();
    List<Long> connected = members.list().stream().map(m -> m.id())
        .filter(id -> id != selfId && transport.isConnected(id)).toList();
    long target = mostCaughtUp(connected, progress());
    if (target == 0) return;
    LOG.info(() -> name + ": handing leadership to " + Long.toHexString(target));
    long start = System.nanoTime();
    driver.transferLeadership(target);
    long deadline = start + 2 * electionTimeoutMillis * 1_000_000;
    // Until another leader is known here: stepping down first leaves none known (0) until the
    // new leader's first append, which follows its election at once.
    long leader;
    while (((leader = driver.status().leaderId()) == selfId || leader == 0)
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL_NANOS);
    }
    // The outcome, as etcd logs it ("leadership transfer finished"), so that whether this stop
    // left the clients an election gap can be read rather than guessed from timings.
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    if (leader == selfId || leader == 0) {
      LOG.warning(name + ": leadership was not handed to " + Long.toHexString(target)
          + " within " + tookMillis + " ms; stopping anyway (the others elect a leader)");
    } else {
      long next = leader;
      LOG.info(() -> name + ": leadership transfer finished: " + Long.toHexString(next)
          + " leads (took " + tookMillis + " ms)");
    }
  }

  /** The leader's view of each follower's log; empty if the raft loop does not answer in time. */
  private Map<Long, PeerProgress> progress() {
    try {
      return driver.detail().get(electionTimeoutMillis, TimeUnit.MILLISECONDS).progress();
    } catch (ExecutionException | TimeoutException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  /**
   * Of the connected followers, the one whose log matches the leader's furthest (the first
   * listed of those level, and the first listed when progress is unknown); 0 if none is connected.
   */
  static long mostCaughtUp(List<Long> connected, Map<Long, PeerProgress> progress) {
    long best = 0;
    long bestMatch = Long.MIN_VALUE;
    for (long id : connected) {
      PeerProgress p = progress.get(id);
      long match = p == null ? -1 : p.match();
      if (match > bestMatch) {
        best = id;
        bestMatch = match;
      }
    }
    return best;
  }
}
