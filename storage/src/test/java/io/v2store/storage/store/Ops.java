package io.v2store.storage.store;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random key-space operations for the differential properties, and their generators. */
final class Ops {
  private Ops() {}

  sealed interface Op permits Set, Create, Update, Cas, Delete, Cad, Expire, Get, WatchOp {}

  record Set(String path, boolean dir, String value, long exp, boolean refresh) implements Op {}

  record Create(String path, boolean dir, String value, boolean unique, long exp) implements Op {}

  record Update(String path, String value, long exp, boolean refresh) implements Op {}

  record Cas(String path, String prevValue, long prevIndex, String value, long exp,
      boolean refresh) implements Op {}

  record Delete(String path, boolean dir, boolean recursive) implements Op {}

  record Cad(String path, String prevValue, long prevIndex) implements Op {}

  record Expire(long now) implements Op {}

  record Get(String path, boolean recursive) implements Op {}

  record WatchOp(String path, boolean recursive, boolean stream, long sinceIndex) implements Op {}

  static Arbitrary<String> paths() {
    Arbitrary<String> component = Arbitraries.of("a", "ab", "b", "_h", "c\u00e9");
    Arbitrary<String> deep = component.list().ofMinSize(1).ofMaxSize(3)
        .map(l -> "/" + String.join("/", l));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(12, deep), net.jqwik.api.Tuple.of(1, Arbitraries.just("/")));
  }

  static Arbitrary<String> values() {
    return Arbitraries.of("", "x", "y");
  }

  /** NEVER most of the time, else a small absolute deadline. */
  static Arbitrary<Long> expirations() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(NodeView.NEVER)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 40)));
  }

  static Arbitrary<String> prevValues() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just((String) null)),
        net.jqwik.api.Tuple.of(3, values()));
  }

  static Arbitrary<Long> indexes() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(0L)),
        net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 40)));
  }

  static Arbitrary<Op> ops() {
    Arbitrary<Boolean> b = Arbitraries.of(true, false);
    Arbitrary<Boolean> rarely = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, Arbitraries.just(false)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(true)));
    Arbitrary<Op> set = Combinators.combine(paths(), rarely, values(), expirations(), rarely)
        .as(Set::new);
    Arbitrary<Op> create = Combinators.combine(paths(), rarely, values(), rarely, expirations())
        .as(Create::new);
    Arbitrary<Op> update = Combinators.combine(paths(), values(), expirations(), rarely)
        .as(Update::new);
    Arbitrary<Op> cas = Combinators.combine(paths(), prevValues(), indexes(), values(),
        expirations(), rarely).as(Cas::new);
    Arbitrary<Op> delete = Combinators.combine(paths(), b, b).as(Delete::new);
    Arbitrary<Op> cad = Combinators.combine(paths(), prevValues(), indexes()).as(Cad::new);
    Arbitrary<Op> expire = Arbitraries.longs().between(0, 45).map(Expire::new);
    Arbitrary<Op> get = Combinators.combine(paths(), b).as(Get::new);
    Arbitrary<Op> watch = Combinators.combine(paths(), b, rarely,
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(0L)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 45))))
        .as(WatchOp::new);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, set), net.jqwik.api.Tuple.of(3, create),
        net.jqwik.api.Tuple.of(2, update), net.jqwik.api.Tuple.of(2, cas),
        net.jqwik.api.Tuple.of(3, delete), net.jqwik.api.Tuple.of(1, cad),
        net.jqwik.api.Tuple.of(2, expire), net.jqwik.api.Tuple.of(2, get),
        net.jqwik.api.Tuple.of(3, watch));
  }

  static Arbitrary<List<Op>> sequences() {
    return ops().list().ofMinSize(1).ofMaxSize(60);
  }

  /** Mostly watches, nested writes and removals of directories, with a few expiries. */
  static Arbitrary<List<Op>> watchHeavySequences() {
    Arbitrary<Boolean> b = Arbitraries.of(true, false);
    Arbitrary<Op> write = Combinators.combine(paths(), values(), expirations())
        .as((p, v, e) -> new Set(p, false, v, e, false));
    Arbitrary<Op> refresh = Combinators.combine(paths(), expirations())
        .as((p, e) -> new Update(p, "", e, true));
    Arbitrary<Op> remove = Combinators.combine(paths(), b).as((p, r) -> new Delete(p, true, r));
    Arbitrary<Op> expire = Arbitraries.longs().between(0, 45).map(Expire::new);
    Arbitrary<Op> watch = Combinators.combine(paths(), b, b,
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(0L)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 45))))
        .as(WatchOp::new);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, write), net.jqwik.api.Tuple.of(1, refresh),
        net.jqwik.api.Tuple.of(2, remove), net.jqwik.api.Tuple.of(1, expire),
        net.jqwik.api.Tuple.of(5, watch)).list().ofMinSize(1).ofMaxSize(60);
  }
}
