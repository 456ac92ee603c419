package io.v2store.server;

import io.v2store.raft.Role;
import io.v2store.raft.driver.RaftDriver;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.KeySpace;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Time enters the key space only through the log: the leader, on a fixed period, proposes a
 * SYNC(now) entry when some node's deadline has passed, and applying it expires those nodes on
 * every member alike. etcd checks every 500 ms; so do we.
 */
final class ExpiryTicker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("etcd");

  private final String name;
  private final RaftDriver driver;
  private final KeySpace keySpace;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  ExpiryTicker(String name, RaftDriver driver, KeySpace keySpace, Clock clock) {
    this.name = name;
    this.driver = driver;
    this.keySpace = keySpace;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "expiry-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  void start(long periodMillis) {
    timer.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * A scheduled task that throws is never run again: a failed check is logged and the next tick
   * checks again (a SYNC expires only what is due, however late), instead of leaving a leader that
   * never expires a TTL key again.
   */
  private void tick() {
    try {
      check();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING,
          name + ": checking for expired keys failed; checking again next tick", e);
    }
  }

  private void check() {
    if (driver.status().role() != Role.LEADER) return;
    long now = nowNanos(clock);
    if (keySpace.nextExpirationNanos() > now) return;
    V2Request sync = V2Request.newBuilder().setMethod(V2Request.Method.SYNC).setTime(now).build();
    driver.propose(sync.toByteArray()); // a dropped SYNC is retried on the next tick
  }

  static long nowNanos(Clock clock) {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
