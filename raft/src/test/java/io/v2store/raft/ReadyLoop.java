package io.v2store.raft;

import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.Message;
import java.util.ArrayList;
import java.util.List;

/** A minimal driver for tests: handles every Ready in the contract's order against a MemoryLog. */
final class ReadyLoop {
  final RawNode node;
  final MemoryLog log;
  final List<Entry> applied = new ArrayList<>();
  final List<Message> sent = new ArrayList<>();
  final List<ReadState> readStates = new ArrayList<>();

  ReadyLoop(RawNode node, MemoryLog log) {
    this.node = node;
    this.log = log;
  }

  /** Handles Readies until none is left; returns how many there were. */
  int drain() {
    int count = 0;
    while (node.hasReady()) {
      Ready rd = node.ready();
      sent.addAll(rd.messages());
      if (rd.snapshot() != null) log.applySnapshot(rd.snapshot());
      log.save(rd.hardState(), rd.entries(), rd.mustSync());
      sent.addAll(rd.messagesAfterPersist());
      applied.addAll(rd.committedEntries());
      readStates.addAll(rd.readStates());
      node.advance(rd);
      if (++count > 1000) throw new AssertionError("Ready loop does not settle");
    }
    return count;
  }

  List<String> appliedData() {
    List<String> out = new ArrayList<>();
    for (Entry e : applied) out.add(e.getData().toStringUtf8());
    return out;
  }
}
