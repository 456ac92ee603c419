package io.v2store.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The ids of the last requests applied, part of the replicated state (and of every snapshot), so
 * that a request proposed twice is applied once. A member re-proposes its pending writes when
 * the leader changes, because a leader that stepped down may have dropped them silently; if the
 * first copy did commit, the second is skipped here, on every member alike.
 *
 * <p>Primitive arrays, not a HashSet of boxed longs: 100,000 ids take 2.8 MiB here against ~6.3
 * (a Long, a map node and a table slot each), and the heap is sized in proportion to what lives
 * in it: a member holding 100,000 keys written once each is 12 MiB smaller in RSS for it
 * (bench/README.md). An applied write allocates nothing here either.
 */
final class AppliedRequestIds {
  /** Far more writes than can commit within one request timeout. */
  static final int CAPACITY = 100_000;
  private static final int MIN_SLOTS = 16;

  private final int capacity;
  /** Ids in the order applied, oldest at head; a ring that grows up to capacity. */
  private long[] order;
  private int head;
  private int size;
  /** Open addressing, linear probing, 0 = empty (id 0 is never recorded); at most half full. */
  private long[] slots;

  AppliedRequestIds() {
    this(CAPACITY);
  }

  /** A smaller capacity, for tests that need ids to be forgotten. */
  AppliedRequestIds(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
    this.capacity = capacity;
    clear();
  }

  private void clear() {
    order = new long[Math.min(MIN_SLOTS, capacity)];
    slots = new long[2 * MIN_SLOTS];
    head = 0;
    size = 0;
  }

  /** Records id; false when it was applied already (then the request must be skipped). */
  boolean firstTime(long id) {
    if (id == 0) return true; // SYNC entries carry no id and are idempotent anyway
    int mask = slots.length - 1;
    int i = home(id, mask);
    for (long s; (s = slots[i]) != 0; i = (i + 1) & mask) {
      if (s == id) return false;
    }
    if (size == capacity) { // the ring is full and exactly capacity long: forget the oldest
      remove(order[head]);
      order[head] = id;
      head = (head + 1) % order.length;
    } else {
      if (size == order.length) growOrder();
      order[(head + size) % order.length] = id;
      size++;
    }
    insert(id);
    return true;
  }

  int size() {
    return size;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(size);
    for (int k = 0; k < size; k++) out.writeLong(order[(head + k) % order.length]);
  }

  void read(DataInputStream in) throws IOException {
    clear();
    int count = in.readInt();
    for (int i = 0; i < count; i++) firstTime(in.readLong());
  }

  private void insert(long id) {
    if (2 * size > slots.length) rehash(2 * slots.length);
    int mask = slots.length - 1;
    int i = home(id, mask);
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = id;
  }

  /** Backward-shift deletion, as in storage's ChildTable: no tombstones to slow later probes. */
  private void remove(long id) {
    int mask = slots.length - 1;
    int gap = home(id, mask);
    while (slots[gap] != id) gap = (gap + 1) & mask;
    for (int i = (gap + 1) & mask; slots[i] != 0; i = (i + 1) & mask) {
      int h = home(slots[i], mask);
      // slots[i] may move into the gap only if its home is not cyclically within (gap, i].
      boolean homeInRange = gap <= i ? (h > gap && h <= i) : (h > gap || h <= i);
      if (!homeInRange) {
        slots[gap] = slots[i];
        gap = i;
      }
    }
    slots[gap] = 0;
  }

  private void growOrder() {
    long[] grown = new long[Math.min(capacity, 2 * order.length)];
    for (int k = 0; k < size; k++) grown[k] = order[(head + k) % order.length];
    order = grown;
    head = 0;
  }

  private void rehash(int length) {
    long[] old = slots;
    slots = new long[length];
    int mask = length - 1;
    for (long id : old) {
      if (id == 0) continue;
      int i = home(id, mask);
      while (slots[i] != 0) i = (i + 1) & mask;
      slots[i] = id;
    }
  }

  /** Ids of one member differ in their low bits only: multiply so that every bit moves the slot. */
  private static int home(long id, int mask) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
