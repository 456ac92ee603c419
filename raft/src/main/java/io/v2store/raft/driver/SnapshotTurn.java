package io.v2store.raft.driver;

/**
 * A member's turn among the members writing snapshots. Every member applies the same entries and
 * would find a snapshot due at about the same index; writing one holds up that member's applies
 * (at 3.5 million keys, 900 MB took each member over 8 s), so all of them at once stopped the
 * whole cluster's writes for that long. Taking turns, the others go on answering meanwhile.
 *
 * <p>Once a snapshot is due, member {@code place} of {@code of} (its rank among the members by
 * id, the same list on every member) waits for the next index at which its own window opens:
 * windows are {@code slot} entries long and follow each other by place, so that two members'
 * snapshots start at least a slot apart: more than half an interval divided among the members,
 * which at the sizes where a snapshot takes seconds is longer than writing one takes (a
 * snapshot's size and its interval grow together; slots half as long measured too short). The slot
 * is a power of two derived from the entries since the last snapshot when the next fell due, so
 * members whose intervals are alike (they are: the same entries, the same state) agree on it, and
 * the wait is at most that interval: a restart replays up to twice as much log. Members whose
 * intervals straddle a power of two compute slots of different sizes; a window opens half a slot
 * into its place, so that an index where a window of one size opens never opens one of another
 * (the lowest set bit of the index says which size), and no two members ever start at the same
 * index.
 *
 * @param place this member's rank among the members, from 0
 * @param of how many members take turns (1: no waiting)
 */
public record SnapshotTurn(int place, int of) {
  public static final SnapshotTurn ALONE = new SnapshotTurn(0, 1);

  public SnapshotTurn {
    if (of < 1 || place < 0 || place >= of) {
      throw new IllegalArgumentException("place " + place + " of " + of);
    }
  }

  /**
   * Whether a due snapshot may start once the entries after index {@code from} up to {@code to}
   * are applied, the snapshot having fallen due {@code dueSince} entries after the last one.
   */
  public boolean opensBetween(long from, long to, long dueSince) {
    if (of == 1) return true;
    long slot = slot(dueSince, of);
    long cycle = slot * of;
    long offset = slot * place + slot / 2;
    // Does (from, to] hold an index j with j = offset (mod cycle)?
    return Math.floorDiv(to - offset, cycle) > Math.floorDiv(from - offset, cycle);
  }

  /** The window's length: the largest power of two at most since / of, at least 2. */
  static long slot(long since, int of) {
    return Math.max(2, Long.highestOneBit(Math.max(1, since / of)));
  }
}
