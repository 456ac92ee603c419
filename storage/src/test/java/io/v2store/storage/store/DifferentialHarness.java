package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs the same operations on a KeySpace and on the ModelStore and asserts that both give the
 * same event or the same error (code, cause, index), the same listing, and that every watcher
 * sees exactly the events the model says.
 */
final class DifferentialHarness {
  final ModelStore model;
  KeySpace real;
  final List<ModelStore.MWatcher> modelWatchers = new ArrayList<>();
  final List<List<Event>> realWatchers = new ArrayList<>();

  DifferentialHarness(int historyCapacity) {
    model = new ModelStore(historyCapacity);
    real = new KeySpace(historyCapacity);
  }

  void run(List<Ops.Op> ops) {
    for (int i = 0; i < ops.size(); i++) {
      step(ops.get(i), "op " + i + " " + ops.get(i));
    }
  }

  void step(Ops.Op op, String where) {
    if (op instanceof Ops.Set s) {
      same(where, () -> model.set(s.path(), s.dir(), s.value(), s.exp(), s.refresh()).event(),
          () -> real.set(s.path(), s.dir(), s.value(), s.exp(), s.refresh()));
    } else if (op instanceof Ops.Create c) {
      same(where, () -> model.create(c.path(), c.dir(), c.value(), c.unique(), false, c.exp(),
              Action.CREATE, false).event(),
          () -> real.create(c.path(), c.dir(), c.value(), c.unique(), c.exp()));
    } else if (op instanceof Ops.Update u) {
      same(where, () -> model.update(u.path(), u.value(), u.exp(), u.refresh()).event(),
          () -> real.update(u.path(), u.value(), u.exp(), u.refresh()));
    } else if (op instanceof Ops.Cas c) {
      same(where, () -> model.cas(c.path(), c.prevValue(), c.prevIndex(), c.value(), c.exp(),
              c.refresh()).event(),
          () -> real.compareAndSwap(c.path(), c.prevValue(), c.prevIndex(), c.value(), c.exp(),
              c.refresh()));
    } else if (op instanceof Ops.Delete d) {
      same(where, () -> model.delete(d.path(), d.dir(), d.recursive()).event(),
          () -> real.delete(d.path(), d.dir(), d.recursive()));
    } else if (op instanceof Ops.Cad c) {
      same(where, () -> model.cad(c.path(), c.prevValue(), c.prevIndex()).event(),
          () -> real.compareAndDelete(c.path(), c.prevValue(), c.prevIndex()));
    } else if (op instanceof Ops.Expire e) {
      assertEquals(values(model.expire(e.now())), values(real.expire(e.now())), where);
    } else if (op instanceof Ops.Get g) {
      same(where, () -> new Event(Action.GET, model.get(g.path(), g.recursive()), null,
              model.index, false),
          () -> real.get(g.path(), g.recursive(), true));
    } else if (op instanceof Ops.WatchOp w) {
      watch(w, where);
    } else {
      throw new AssertionError(op);
    }
    assertEquals(model.index, real.index(), where);
    assertEquals(model.get("/", true), real.get("/", true, true).node(), where + ": listing");
    assertEquals(model.nextExpiration(), real.nextExpirationNanos(), where);
    assertEquals(model.activeWatchers(), real.stats().watchers(), where + ": watchers");
    for (int i = 0; i < modelWatchers.size(); i++) {
      assertEquals(values(modelWatchers.get(i).got), values(realWatchers.get(i)),
          where + ": watcher " + i);
    }
  }

  private void watch(Ops.WatchOp w, String where) {
    List<ModelStore.MWatcher> registered = new ArrayList<>();
    List<Event> sink = new ArrayList<>();
    Event expected;
    try {
      expected = model.watch(w.path(), w.recursive(), w.stream(), w.sinceIndex(), registered);
    } catch (EtcdException e) {
      EtcdException actual = org.junit.jupiter.api.Assertions.assertThrows(EtcdException.class,
          () -> real.watch(w.path(), w.recursive(), w.stream(), w.sinceIndex(), sink::add),
          where);
      sameError(e, actual, where);
      return;
    }
    Watch watch = real.watch(w.path(), w.recursive(), w.stream(), w.sinceIndex(), sink::add);
    assertEquals(value(expected), value(watch.immediate()), where + ": immediate");
    assertEquals(model.index, watch.startIndex(), where);
    if (expected == null) {
      modelWatchers.add(registered.get(0));
      realWatchers.add(sink);
    }
  }

  private void same(String where, Supplier<Event> expected, Supplier<Event> actual) {
    Event want;
    try {
      want = expected.get();
    } catch (EtcdException e) {
      EtcdException got = org.junit.jupiter.api.Assertions.assertThrows(EtcdException.class,
          actual::get, where);
      sameError(e, got, where);
      return;
    }
    assertEquals(value(want), value(actual.get()), where);
  }

  /** Event has identity equality; this is its value. */
  record EventValue(Action action, NodeView node, NodeView prevNode, long index,
      boolean refresh) {}

  static EventValue value(Event e) {
    return e == null ? null
        : new EventValue(e.action(), e.node(), e.prevNode(), e.index(), e.isRefresh());
  }

  static List<EventValue> values(List<Event> events) {
    return events.stream().map(DifferentialHarness::value).toList();
  }

  private static void sameError(EtcdException want, EtcdException got, String where) {
    assertEquals(want.error(), got.error(), where + ": " + got.getMessage());
    assertEquals(want.errorCause(), got.errorCause(), where);
    assertEquals(want.index(), got.index(), where);
  }

  /** Every node of the model, hidden ones included, read back by its own path. */
  void compareEveryPath(String where) {
    for (String path : model.nodes.keySet()) {
      assertEquals(model.get(path, true), real.get(path, true, true).node(), where + " " + path);
    }
    // the count /metrics shows, kept by every write, expiry and restore rather than walked
    assertEquals(model.nodes.values().stream().filter(n -> !n.dir).count(), real.keyCount(),
        where + ": keys");
  }
}
