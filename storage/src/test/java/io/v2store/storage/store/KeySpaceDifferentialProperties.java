package io.v2store.storage.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The KeySpace against the naive ModelStore over random operation sequences. */
class KeySpaceDifferentialProperties {

  @Provide
  Arbitrary<List<Ops.Op>> sequences() {
    return Ops.sequences();
  }

  @Provide
  Arbitrary<List<Ops.Op>> watchHeavy() {
    return Ops.watchHeavySequences();
  }

  /**
   * Many watchers (recursive or not, one-shot or stream, waitIndex past, future or 0) over
   * nested writes, refreshes, directory removals and expiries receive exactly the model's events,
   * and the hub counts exactly the model's live watchers.
   */
  @Property(tries = 300)
  void watchersSeeExactlyTheModelsEvents(@ForAll("watchHeavy") List<Ops.Op> ops) {
    DifferentialHarness h = new DifferentialHarness(KeySpace.DEFAULT_HISTORY);
    h.run(ops);
    net.jqwik.api.statistics.Statistics.label("watchers delivered to")
        .collect(h.realWatchers.stream().filter(l -> !l.isEmpty()).count() > 0);
  }

  /**
   * Every write, read, expiry and watch (past and live, recursive or not, one-shot or stream)
   * gives the model's event or error, with a small history so 401 and ring wrap-around occur.
   */
  @Property(tries = 400)
  void behavesLikeTheModel(@ForAll("sequences") List<Ops.Op> ops) {
    DifferentialHarness h = new DifferentialHarness(8);
    h.run(ops);
    h.compareEveryPath("end");
  }

  /**
   * A snapshot taken half way, restored into a fresh key space, continues exactly like the
   * model: tree, indexes, deadlines and the event history all survived.
   */
  @Property(tries = 200)
  void snapshotRoundTripContinuesLikeTheModel(@ForAll("sequences") List<Ops.Op> before,
      @ForAll("sequences") List<Ops.Op> after) throws IOException {
    DifferentialHarness h = new DifferentialHarness(16);
    h.run(before);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    h.real.writeSnapshot(bytes);
    KeySpace restored = new KeySpace(16);
    restored.restoreSnapshot(new ByteArrayInputStream(bytes.toByteArray()));
    h.real = restored;
    // Watchers registered on the old key space do not move; forget them on both sides.
    h.model.watchers.clear();
    h.modelWatchers.clear();
    h.realWatchers.clear();
    h.compareEveryPath("restored");
    h.run(after);
    h.compareEveryPath("end");
  }
}
