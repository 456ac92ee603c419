// Copied from raft/src/test/java/io/v2store/raft/lin/KeySearch.java (keep the two in step): the it
// module cannot see raft's test classes without a test-jar dependency in its pom.
package io.v2store.it.cluster.lin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Wing and Gong's search for one key, with Lowe's memoization: the history becomes a time-ordered
 * list of call and return events; the search repeatedly picks a pending call, checks it against
 * the register model, and lifts it (with its return) out of the list. Reaching a return whose call
 * is not linearized yet means the choices so far were wrong: backtrack. A (set of linearized
 * operations, register state) pair seen before cannot lead anywhere new, so it is skipped; this is
 * what keeps the search polynomial on the histories real systems produce.
 *
 * <p>Unknown-outcome writes return at infinity: once the walk reaches the first such return,
 * every determinate operation is linearized and the rest may simply never have happened.
 */
final class KeySearch {
  enum Result { LEGAL, ILLEGAL, GAVE_UP }

  private static final class Event {
    final boolean call;
    final int op;
    final long time;
    Event match;
    Event prev;
    Event next;

    Event(boolean call, int op, long time) {
      this.call = call;
      this.op = op;
      this.time = time;
    }
  }

  private record Frame(Event call, String stateBefore) {}

  private record Seen(BitSet linearized, String state) {}

  private final List<Operation> ops;
  private final long maxSteps;
  private final Event head = new Event(false, -1, Long.MIN_VALUE);
  private List<Operation> longest = List.of();

  KeySearch(List<Operation> ops, long maxSteps) {
    this.ops = ops;
    this.maxSteps = maxSteps;
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      Event call = new Event(true, i, op.invokedAt());
      Event ret = new Event(false, i, op.completedAt());
      call.match = ret;
      events.add(call);
      events.add(ret);
    }
    // by time; on a tie the call first, so touching intervals count as concurrent (permissive)
    events.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time)
        : Boolean.compare(!a.call, !b.call));
    Event prev = head;
    for (Event e : events) {
      prev.next = e;
      e.prev = prev;
      prev = e;
    }
  }

  Result run() {
    BitSet linearized = new BitSet(ops.size());
    Set<Seen> cache = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    String state = null;
    Event e = head.next;
    for (long steps = 0; head.next != null; steps++) {
      if (steps >= maxSteps) return Result.GAVE_UP;
      if (e == null) return Result.LEGAL; // only open-ended (unknown) returns remained
      if (e.call) {
        RegisterModel.Next next = RegisterModel.step(state, ops.get(e.op));
        if (next.legal()) {
          BitSet after = (BitSet) linearized.clone();
          after.set(e.op);
          if (cache.add(new Seen(after, next.state()))) {
            stack.push(new Frame(e, state));
            noteDepth(stack);
            state = next.state();
            linearized = after;
            lift(e);
            e = head.next;
            continue;
          }
        }
        e = e.next;
      } else {
        if (ops.get(e.op).indeterminate()) return Result.LEGAL;
        if (stack.isEmpty()) return Result.ILLEGAL;
        Frame top = stack.pop();
        state = top.stateBefore();
        linearized = (BitSet) linearized.clone();
        linearized.clear(top.call().op);
        unlift(top.call());
        e = top.call().next;
      }
    }
    return Result.LEGAL;
  }

  private void noteDepth(Deque<Frame> stack) {
    if (stack.size() <= longest.size()) return;
    List<Operation> order = new ArrayList<>(stack.size());
    stack.descendingIterator().forEachRemaining(f -> order.add(ops.get(f.call().op)));
    longest = order;
  }

  private static void lift(Event call) {
    call.prev.next = call.next;
    if (call.next != null) call.next.prev = call.prev;
    Event ret = call.match;
    ret.prev.next = ret.next;
    if (ret.next != null) ret.next.prev = ret.prev;
  }

  private static void unlift(Event call) {
    Event ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) ret.next.prev = ret;
    call.prev.next = call;
    if (call.next != null) call.next.prev = call;
  }

  List<Operation> longestPrefix() {
    return longest;
  }
}
