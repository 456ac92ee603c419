package io.v2store.raft.driver;

import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import java.util.List;

/** Whether entries are all client writes: no conf change among them, which needs special care. */
final class NormalEntries {
  private NormalEntries() {}

  static boolean all(List<Entry> entries) {
    for (Entry e : entries) {
      if (e.getType() != EntryType.ENTRY_NORMAL) return false;
    }
    return true;
  }
}
