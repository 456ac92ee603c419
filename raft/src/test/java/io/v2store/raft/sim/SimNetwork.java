package io.v2store.raft.sim;

import io.v2store.raft.pb.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A network that drops, delays, duplicates, reorders and partitions messages, driven by the
 * simulation's one Random. Time is the simulation's tick count.
 */
final class SimNetwork {
  private record InFlight(long deliverAt, Message message) {}

  private final Random random;
  private final List<InFlight> inFlight = new ArrayList<>();
  /** Members on the other side of a partition from member 0's group: messages across are lost. */
  private final Set<Long> minority = new HashSet<>();
  int dropPerMille = 50;
  int duplicatePerMille = 30;
  int maxDelayTicks = 3;
  long now;

  SimNetwork(Random random) {
    this.random = random;
  }

  /** Queues a message; returns false if the network lost it at once (the sender may be told). */
  boolean send(Message m) {
    if (blocked(m.getFrom(), m.getTo()) || random.nextInt(1000) < dropPerMille) return false;
    inFlight.add(new InFlight(now + random.nextInt(maxDelayTicks + 1), m));
    if (random.nextInt(1000) < duplicatePerMille) {
      inFlight.add(new InFlight(now + random.nextInt(maxDelayTicks + 1), m));
    }
    return true;
  }

  private boolean blocked(long from, long to) {
    return minority.contains(from) != minority.contains(to);
  }

  /** Takes one due message, chosen at random among the due ones (reordering); null if none. */
  Message next() {
    List<Integer> due = new ArrayList<>();
    for (int i = 0; i < inFlight.size(); i++) {
      if (inFlight.get(i).deliverAt() <= now) due.add(i);
    }
    if (due.isEmpty()) return null;
    InFlight f = inFlight.remove((int) due.get(random.nextInt(due.size())));
    // a partition that formed while the message was in flight still cuts it
    return blocked(f.message().getFrom(), f.message().getTo()) ? null : f.message();
  }

  boolean hasDue() {
    for (InFlight f : inFlight) {
      if (f.deliverAt() <= now) return true;
    }
    return false;
  }

  void partition(Set<Long> side) {
    minority.clear();
    minority.addAll(side);
  }

  void heal() {
    minority.clear();
  }

  void calm() {
    heal();
    dropPerMille = 0;
    duplicatePerMille = 0;
  }

  int size() {
    return inFlight.size();
  }
}
