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
    driver.transferLeadership(target.id());
    long deadline = System.nanoTime() + 2 * electionTimeoutMillis * 1_000_000;
    while (System.nanoTime() < deadline && driver.status().leaderId() == selfId) {
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
