package io.v2store.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashSet;

/**
 * The ids of the last requests applied, part of the replicated state (and of every snapshot), so
 * that a request proposed twice is applied once. A member re-proposes its pending writes when
 * the leader changes, because a leader that stepped down may have dropped them silently; if the
 * first copy did commit, the second is skipped here, on every member alike.
 */
final class AppliedRequestIds {
  /** Far more writes than can commit within one request timeout. */
  static final int CAPACITY = 100_000;

  private final ArrayDeque<Long> order = new ArrayDeque<>();
  private final HashSet<Long> ids = new HashSet<>();

  /** Records id; false when it was applied already (then the request must be skipped). */
  boolean firstTime(long id) {
    if (id == 0) return true; // SYNC entries carry no id and are idempotent anyway
    if (!ids.add(id)) return false;
    order.addLast(id);
    if (order.size() > CAPACITY) ids.remove(order.removeFirst());
    return true;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(order.size());
    for (long id : order) out.writeLong(id);
  }

  void read(DataInputStream in) throws IOException {
    order.clear();
    ids.clear();
    int count = in.readInt();
    for (int i = 0; i < count; i++) firstTime(in.readLong());
  }
}
