package io.v2store.it.cluster;

import io.v2store.raft.lin.Command;
import io.v2store.raft.lin.Operation;
import io.v2store.raft.lin.Outcome;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Concurrent clients, each a thread with one request in flight, sending set/CAS/delete/quorum
 * get on a few keys to random members, each recording its operations on System.nanoTime (one
 * clock for all, so real-time order is exact). Bounded: at most opsPerClient each, or until stop.
 */
final class ClusterWorkload implements AutoCloseable {
  static final String[] KEYS = {"lin-a", "lin-b", "lin-c"};

  private final List<Operation> history = new ArrayList<>();
  private final Map<String, String> lastWritten = new ConcurrentHashMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final Supplier<List<URI>> targets;

  ClusterWorkload(int clients, int opsPerClient, long requestTimeoutMillis,
      Supplier<List<URI>> targets) {
    this.targets = targets;
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> runClient(client, opsPerClient, requestTimeoutMillis),
          "lin-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void runClient(int client, int ops, long timeoutMillis) {
    V2Client http = new V2Client(timeoutMillis);
    Random random = new Random(client * 7919L + 1);
    for (int i = 0; i < ops && !stop.get(); i++) {
      String key = KEYS[random.nextInt(KEYS.length)];
      String fresh = "c" + client + "-" + i;
      Command command = nextCommand(random, key, fresh);
      List<URI> urls = targets.get();
      URI member = urls.get(random.nextInt(urls.size()));
      long invokedAt = System.nanoTime();
      Outcome outcome = http.execute(member, key, command);
      long completedAt = System.nanoTime();
      if (outcome == null) continue; // connection refused: the request never arrived
      if (!(command instanceof Command.Get) && !(outcome instanceof Outcome.Failed)) {
        lastWritten.put(key, fresh);
      }
      synchronized (history) {
        history.add(new Operation(client, key, command, outcome, invokedAt, completedAt));
      }
    }
  }

  private Command nextCommand(Random random, String key, String fresh) {
    int roll = random.nextInt(100);
    String last = lastWritten.get(key);
    if (roll < 35) return new Command.Set(fresh);
    if (roll < 55 && last != null) return new Command.Cas(last, fresh);
    if (roll < 62) return new Command.Delete();
    return new Command.Get();
  }

  int size() {
    synchronized (history) {
      return history.size();
    }
  }

  /** Waits (bounded) until count more operations completed, or all clients finished. */
  void awaitMore(int count, long timeoutMillis) {
    int target = size() + count;
    ClusterPoll.until(timeoutMillis, () -> size() >= target || threads.stream().noneMatch(Thread::isAlive));
  }

  /**
   * Waits (bounded) until at least {@code count} operations have a known outcome, or all clients
   * finished, then finishes. A slow machine gets fewer answers per second, and most of a fault's
   * requests time out: a check of the history's size has to wait for answers, not count those
   * that a fixed stretch of time happened to give.
   */
  List<Operation> finishWithAcknowledged(int count, long waitMillis, long finishMillis) {
    ClusterPoll.until(waitMillis,
        () -> acknowledged() >= count || threads.stream().noneMatch(Thread::isAlive));
    return finish(finishMillis);
  }

  private long acknowledged() {
    synchronized (history) {
      return history.stream().filter(o -> !o.indeterminate()).count();
    }
  }

  /** Stops the clients and waits for the in-flight requests to end; returns the history. */
  List<Operation> finish(long timeoutMillis) {
    stop.set(true);
    ClusterPoll.require(timeoutMillis, "clients to finish",
        () -> threads.stream().noneMatch(Thread::isAlive));
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  @Override
  public void close() {
    stop.set(true);
  }
}
