package io.v2store.raft.driver;

import io.v2store.raft.pb.Message;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;

/**
 * The network into one member, for driver tests: one thread ("net-to-ID"), and each delivery
 * hands over everything that has queued since the last with stepInBatch/endBatch, as a socket
 * read does. A closed wire holds what is sent until it opens.
 */
final class PeerWire implements AutoCloseable {
  private final ExecutorService net;
  private final long to;
  private final LongFunction<RaftDriver> drivers;
  private final ConcurrentLinkedQueue<Message> pending = new ConcurrentLinkedQueue<>();
  private volatile boolean open = true;

  PeerWire(long to, LongFunction<RaftDriver> drivers) {
    this.to = to;
    this.drivers = drivers;
    this.net = Executors.newSingleThreadExecutor(r -> new Thread(r, "net-to-" + to));
  }

  void send(Message m) {
    pending.add(m);
    if (open) net.execute(this::deliver);
  }

  /** Holds what is sent from now on. */
  void hold() {
    open = false;
  }

  /** Delivers what was held, and what is sent from now on. */
  void release() {
    open = true;
    net.execute(this::deliver);
  }

  private void deliver() {
    if (!open) return;
    RaftDriver driver = drivers.apply(to);
    boolean any = false;
    for (Message m; (m = pending.poll()) != null; any = true) driver.stepInBatch(m);
    if (any) driver.endBatch();
  }

  @Override
  public void close() {
    net.shutdownNow();
  }
}
