package io.v2store.raft.sim;

import io.v2store.raft.lin.Command;
import io.v2store.raft.lin.Operation;
import io.v2store.raft.lin.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Simulated clients, each with at most one operation in flight, and the history they record on
 * one logical clock that advances at every invocation and every answer (so real-time order in the
 * history is exact). An operation unanswered within the timeout is recorded as unknown.
 */
final class SimClients {
  static final String[] KEYS = {"a", "b", "c"};

  /** An operation sent to a member and not answered yet. */
  record InFlight(long opId, int client, String key, Command command, long invokedAt,
      long startTick) {}

  private final Random random;
  private final int clientCount;
  private final Map<Integer, InFlight> byClient = new HashMap<>();
  private final Map<Long, InFlight> byOp = new LinkedHashMap<>();
  private final Map<String, List<String>> written = new HashMap<>();
  private final List<Operation> history = new ArrayList<>();
  private long clock;
  private long nextOpId;

  SimClients(Random random, int clientCount, long seed) {
    this.random = random;
    this.clientCount = clientCount;
    this.nextOpId = seed << 20; // distinct across seeds, which helps when reading a failure
  }

  /** A client with nothing in flight, or -1. */
  int idleClient() {
    int c = random.nextInt(clientCount);
    return byClient.containsKey(c) ? -1 : c;
  }

  /** Invokes a random command for client; returns what to send. */
  InFlight invoke(int client, long tick) {
    String key = KEYS[random.nextInt(KEYS.length)];
    long opId = nextOpId++;
    Command command;
    int roll = random.nextInt(100);
    List<String> seen = written.computeIfAbsent(key, k -> new ArrayList<>());
    if (roll < 30) {
      command = new Command.Set("v" + opId);
      seen.add("v" + opId);
    } else if (roll < 55 && !seen.isEmpty()) {
      // expect one of the latest values, so CAS succeeds about as often as it fails
      String expected = seen.get(Math.max(0, seen.size() - 1 - random.nextInt(3)));
      command = new Command.Cas(expected, "v" + opId);
      seen.add("v" + opId);
    } else if (roll < 65) {
      command = new Command.Delete();
    } else {
      command = new Command.Get();
    }
    return record(client, key, opId, command, tick);
  }

  /** A quorum get of key by a dedicated client (the final reads after healing). */
  InFlight invokeGet(int client, String key, long tick) {
    return record(client, key, nextOpId++, new Command.Get(), tick);
  }

  private InFlight record(int client, String key, long opId, Command command, long tick) {
    InFlight f = new InFlight(opId, client, key, command, ++clock, tick);
    byClient.put(client, f);
    byOp.put(opId, f);
    return f;
  }

  /** The member answered; an answer for an operation already timed out is ignored. */
  void answer(long opId, Outcome outcome) {
    InFlight f = byOp.remove(opId);
    if (f == null) return;
    byClient.remove(f.client());
    history.add(new Operation(f.client(), f.key(), f.command(), outcome, f.invokedAt(), ++clock));
  }

  /** The request definitely never reached the log (member down, proposal dropped): no record. */
  void refused(long opId) {
    InFlight f = byOp.remove(opId);
    if (f != null) byClient.remove(f.client());
  }

  void expire(long tick, int timeoutTicks) {
    for (Iterator<InFlight> it = byOp.values().iterator(); it.hasNext(); ) {
      InFlight f = it.next();
      if (tick - f.startTick() < timeoutTicks) continue;
      it.remove();
      byClient.remove(f.client());
      history.add(new Operation(f.client(), f.key(), f.command(), Outcome.UNKNOWN, f.invokedAt(),
          Long.MAX_VALUE));
    }
  }

  InFlight inFlight(long opId) {
    return byOp.get(opId);
  }

  boolean busy() {
    return !byOp.isEmpty();
  }

  List<Operation> history() {
    return history;
  }
}
