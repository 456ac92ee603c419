package io.v2store.raft.driver;

import io.v2store.raft.DurableLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Message;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Members 1, 2 and 3, each a driver on the log a test gives it, joined by {@link PeerWire}s: a
 * cluster without a network, for tests of what a member's stall does to the others.
 */
final class ThreeDrivers implements AutoCloseable {
  private final long tickMillis;
  private final boolean preVote;
  private final Map<Long, RaftDriver> drivers = new ConcurrentHashMap<>();
  private final Map<Long, PeerWire> wires = new ConcurrentHashMap<>();
  private final Map<Long, IndexRecordingMachine> machines = new ConcurrentHashMap<>();
  /** The first fatal error any member reported, if any. */
  final AtomicReference<Throwable> fatal = new AtomicReference<>();

  /** preVote false is etcd's default: a campaign then shows as a new term. */
  ThreeDrivers(long tickMillis, boolean preVote) {
    this.tickMillis = tickMillis;
    this.preVote = preVote;
  }

  void start(long id, DurableLog log) {
    wires.put(id, new PeerWire(id, drivers::get));
    IndexRecordingMachine machine = new IndexRecordingMachine();
    machines.put(id, machine);
    DriverListener listener = new DriverListener() {
      @Override
      public void onFatal(Throwable cause) {
        fatal.compareAndSet(null, cause);
      }
    };
    RaftConfig config =
        new RaftConfig(id, 10, 1, preVote, true, 1 << 20, 256, 32L << 20, 0, id);
    RaftDriver driver = new RaftDriver("m" + id, new RawNode(config, log), log,
        messages -> {
          for (Message m : messages) wires.get(m.getTo()).send(m);
        }, machine, 0, ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build(),
        new DriverConfig(tickMillis, 1_000_000, 100, 64), listener);
    drivers.put(id, driver);
    driver.start();
  }

  RaftDriver get(long id) {
    return drivers.get(id);
  }

  long applied(long id) {
    return machines.get(id).applied.get();
  }

  @Override
  public void close() {
    drivers.values().forEach(RaftDriver::close);
    wires.values().forEach(PeerWire::close);
  }
}
