package io.v2store.storage.store;

/**
 * An open-addressing hash table of nodes keyed by their own name: one reference per slot, no
 * entry objects, no duplicated keys. Linear probing with backward-shift deletion, so there are
 * no tombstones. Iteration order is the slot order (v2 promises no order without sorted=true).
 */
final class ChildTable {
  private static final Node[] EMPTY = new Node[0];
  private static final int MIN_CAPACITY = 4;
  /** The most nodes {@link #expect} makes room for in advance (a count read from a file). */
  static final int MAX_EXPECTED = 1 << 22;

  private Node[] slots = EMPTY;
  private int size;

  int size() {
    return size;
  }

  /** The raw slots (null = empty) for allocation-free iteration; do not modify. */
  Node[] slots() {
    return slots;
  }

  Node get(String name) {
    if (size == 0) {
      return null;
    }
    int h = hash(name);
    int mask = slots.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      Node n = slots[i];
      if (n == null) {
        return null;
      }
      if (n.nameHash == h && n.name.equals(name)) {
        return n;
      }
    }
  }

  /**
   * Makes room for count nodes at once (at most {@link #MAX_EXPECTED}: a larger count grows the
   * table as it fills). A snapshot lists a directory's children in slot order, that is by hash;
   * put one by one into a table still growing, they arrive sorted by the low bits of a larger
   * table's hash, so each pass over the smaller table's slots lands on the runs the last pass left
   * (linear probing's worst case: a restart restoring a directory of 670,000 keys spent 4.4 s in
   * put). Sized for all of them from the start, each lands at or near its home slot.
   */
  void expect(int count) {
    int capacity = MIN_CAPACITY;
    long wanted = Math.min(count, MAX_EXPECTED);
    while (wanted * 4 > (long) capacity * 3) {
      capacity *= 2;
    }
    if (capacity > slots.length) {
      resize(capacity);
    }
  }

  /** Inserts node, replacing (and returning) a node of the same name. */
  Node put(Node node) {
    if ((size + 1) * 4 > slots.length * 3) {
      resize(Math.max(MIN_CAPACITY, slots.length * 2));
    }
    int mask = slots.length - 1;
    for (int i = node.nameHash & mask; ; i = (i + 1) & mask) {
      Node n = slots[i];
      if (n == null) {
        slots[i] = node;
        size++;
        return null;
      }
      if (n.nameHash == node.nameHash && n.name.equals(node.name)) {
        slots[i] = node;
        return n;
      }
    }
  }

  Node remove(String name) {
    if (size == 0) {
      return null;
    }
    int h = hash(name);
    int mask = slots.length - 1;
    int i = h & mask;
    while (true) {
      Node n = slots[i];
      if (n == null) {
        return null;
      }
      if (n.nameHash == h && n.name.equals(name)) {
        break;
      }
      i = (i + 1) & mask;
    }
    Node removed = slots[i];
    shiftBack(i, mask);
    size--;
    if (size == 0) {
      slots = EMPTY;
    } else if (slots.length > 16 && size * 8 < slots.length) {
      resize(slots.length / 2);
    }
    return removed;
  }

  /** Backward-shift deletion: pull later members of the probe run into the hole at gap. */
  private void shiftBack(int gap, int mask) {
    int i = gap;
    while (true) {
      i = (i + 1) & mask;
      Node n = slots[i];
      if (n == null) {
        slots[gap] = null;
        return;
      }
      int home = n.nameHash & mask;
      // n may move into the gap only if its home is not cyclically within (gap, i].
      boolean homeInRange = gap <= i ? (home > gap && home <= i) : (home > gap || home <= i);
      if (!homeInRange) {
        slots[gap] = n;
        gap = i;
      }
    }
  }

  private void resize(int capacity) {
    Node[] old = slots;
    slots = new Node[capacity];
    int mask = capacity - 1;
    for (Node n : old) {
      if (n != null) {
        int i = n.nameHash & mask;
        while (slots[i] != null) {
          i = (i + 1) & mask;
        }
        slots[i] = n;
      }
    }
  }

  /** The spread hash a node's slot is taken from (its low bits under the table's mask). */
  static int hash(String name) {
    int h = name.hashCode();
    return (h ^ (h >>> 16)) * 0x9E3779B9 >>> 7;
  }
}
