package io.v2store.server;

import io.v2store.http.Member;
import io.v2store.raft.Role;
import io.v2store.raft.driver.RaftDriver;
import io.v2store.raft.transport.PeerTransport;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * On a graceful stop, a leader hands leadership to a connected follower first, so clients see no
 * election gap (etcd does the same on SIGTERM).
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
    Member target = members.list().stream()
        .filter(m -> m.id() != selfId && transport.isConnected(m.id()))
        .findFirst().orElse(null);
    if (target == null) return;
    LOG.info(() -> name + ": handing leadership to " + Long.toHexString(target.id()));
    long start = System.nanoTime();
    driver.transferLeadership(target.id());
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
      LOG.warning(name + ": leadership was not handed to " + Long.toHexString(target.id())
          + " within " + tookMillis + " ms; stopping anyway (the others elect a leader)");
    } else {
      long next = leader;
      LOG.info(() -> name + ": leadership transfer finished: " + Long.toHexString(next)
          + " leads (took " + tookMillis + " ms)");
    }
  }
}
