package io.v2store.server;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.logging.Logger;

/**
 * etcd's --initial-election-tick-advance (on by default): once a member that has just started
 * sees two of its peers connected, its election timer is moved electionTicks - 2 ticks ahead, so
 * that a new cluster elects its first leader a fraction of a second after its members can talk
 * instead of a whole election timeout later. Two peers, as etcd counts them: a member that sees
 * a live leader's heartbeat within the two ticks left is not disturbed. If they do not connect
 * within 5 s (etcd's wait, its peer connection read timeout), nothing is moved. The raft core
 * moves only a member that has heard of no leader and is outside a restart's startup lease
 * (RaftCore.advanceElectionTicks).
 */
final class InitialTickAdvance implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(InitialTickAdvance.class.getName());
  static final long POLL_MILLIS = 50;
  static final long WAIT_MILLIS = 5_000;
  /** Peers that must be connected, as etcd's "more than one active peer". */
  static final int PEERS_CONNECTED = 2;

  /** The raft driver's advanceElectionTicks: moves the timer, then tells whether it did. */
  interface Advance {
    void advance(long ticks, Consumer<Boolean> moved);
  }

  private final Thread thread;

  private InitialTickAdvance(Thread thread) {
    this.thread = thread;
  }

  /**
   * Starts the wait on a daemon thread of its own; {@code advance} is called at most once, with
   * {@code electionTicks - 2}, and what it did is logged.
   */
  static InitialTickAdvance start(String name, List<Long> peerIds, LongPredicate connected,
      int electionTicks, long tickMillis, Advance advance) {
    Thread t = new Thread(() -> {
      long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
      try {
        while (System.nanoTime() - deadline < 0) {
          Thread.sleep(POLL_MILLIS);
          long peers = peerIds.stream().filter(connected::test).count();
          if (peers >= PEERS_CONNECTED) {
            long ticks = electionTicks - 2L;
            advance.advance(ticks, moved -> LOG.info(() -> name + ": " + peers
                + " peers connected; " + (moved ? "election timer moved " + ticks + " ticks ("
                + ticks * tickMillis + " ms) ahead" : "election timer left alone (a leader "
                + "heard already, or a restart's first election timeout)")));
            return;
          }
        }
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
      }
    }, "initial-tick-advance-" + name);
    t.setDaemon(true);
    t.start();
    return new InitialTickAdvance(t);
  }

  /** Whether a member of this cluster waits for its peers at all (etcd: more than one member). */
  static boolean applies(boolean flag, List<Long> peerIds) {
    return flag && peerIds.size() >= PEERS_CONNECTED;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
