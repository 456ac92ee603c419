package io.v2store.raft;

import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link DurableLog} for tests and the simulation: "durable" means it survives the
 * {@link RawNode} that reads it, which is what a simulated crash throws away. Synchronized so a
 * driver test may read it from another thread.
 *
 * <p>entries.get(0) is a dummy holding the index and term of the last compacted entry (the
 * snapshot's), as in etcd's MemoryStorage.
 */
public final class MemoryLog implements DurableLog {
  private HardState hardState = HardState.getDefaultInstance();
  private ConfState confState;
  private Snapshot snapshot = Snapshot.getDefaultInstance();
  private final ArrayList<Entry> entries = new ArrayList<>();

  public MemoryLog(ConfState confState) {
    this.confState = confState;
    entries.add(Entry.getDefaultInstance());
  }

  /** A fresh log of a group whose voters are ids (the bootstrap configuration). */
  public static MemoryLog withVoters(long... ids) {
    ConfState.Builder cs = ConfState.newBuilder();
    for (long id : ids) cs.addVoters(id);
    return new MemoryLog(cs.build());
  }

  @Override
  public synchronized InitialState initialState() {
    return new InitialState(hardState, confState);
  }

  @Override
  public synchronized List<Entry> entries(long lo, long hi, long maxBytes) {
    long offset = entries.get(0).getIndex();
    if (lo <= offset) throw new LogCompactedException("entries from " + lo + " <= " + offset);
    if (hi > lastIndexLocked() + 1) {
      throw new LogUnavailableException("entries to " + hi + " > " + (lastIndexLocked() + 1));
    }
    List<Entry> out = new ArrayList<>();
    long size = 0;
    for (long i = lo; i < hi; i++) {
      Entry e = entries.get((int) (i - offset));
      size += e.getSerializedSize();
      if (!out.isEmpty() && size > maxBytes) break;
      out.add(e);
    }
    return out;
  }

  @Override
  public synchronized long term(long i) {
    long offset = entries.get(0).getIndex();
    if (i < offset) throw new LogCompactedException("term of " + i + " < " + offset);
    if (i > lastIndexLocked()) throw new LogUnavailableException("term of " + i);
    return entries.get((int) (i - offset)).getTerm();
  }

  @Override
  public synchronized long firstIndex() {
    return entries.get(0).getIndex() + 1;
  }

  @Override
  public synchronized long lastIndex() {
    return lastIndexLocked();
  }

  private long lastIndexLocked() {
    return entries.get(0).getIndex() + entries.size() - 1;
  }

  @Override
  public synchronized Snapshot snapshot() {
    if (snapshot.getMetadata().getIndex() == 0) {
      throw new SnapshotTemporarilyUnavailableException("no snapshot taken yet");
    }
    return snapshot;
  }

  @Override
  public synchronized void save(HardState hs, List<Entry> newEntries, boolean sync) {
    if (!newEntries.isEmpty()) append(newEntries);
    if (hs != null) hardState = hs;
  }

  private void append(List<Entry> newEntries) {
    long offset = entries.get(0).getIndex();
    long first = newEntries.get(0).getIndex();
    if (first > lastIndexLocked() + 1) {
      throw new IllegalArgumentException("gap: appending " + first + " after " + lastIndexLocked());
    }
    int skip = 0;
    if (first <= offset) {
      // the head is already compacted (and so committed and identical): drop it
      skip = (int) (offset + 1 - first);
      if (skip >= newEntries.size()) return;
      first = offset + 1;
    }
    int keep = (int) (first - offset);
    entries.subList(keep, entries.size()).clear();
    entries.addAll(newEntries.subList(skip, newEntries.size()));
  }

  @Override
  public synchronized void applySnapshot(Snapshot s) {
    SnapshotMetadata md = s.getMetadata();
    if (md.getIndex() <= snapshot.getMetadata().getIndex()) return; // older than ours
    snapshot = s;
    confState = md.getConfState();
    entries.clear();
    entries.add(Entry.newBuilder().setIndex(md.getIndex()).setTerm(md.getTerm()).build());
  }

  @Override
  public synchronized void createSnapshot(long index, ConfState cs, byte[] data) {
    if (index <= snapshot.getMetadata().getIndex()) return;
    if (index > lastIndexLocked()) {
      throw new IllegalArgumentException("snapshot " + index + " > last " + lastIndexLocked());
    }
    snapshot = Snapshot.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(data))
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(term(index))
            .setConfState(cs))
        .build();
    confState = cs;
  }

  @Override
  public synchronized void compact(long compactIndex) {
    long offset = entries.get(0).getIndex();
    if (compactIndex <= offset) return;
    if (compactIndex > snapshot.getMetadata().getIndex()) {
      throw new IllegalArgumentException("compact " + compactIndex + " beyond the snapshot "
          + snapshot.getMetadata().getIndex());
    }
    int cut = (int) (compactIndex - offset);
    Entry dummy = Entry.newBuilder().setIndex(compactIndex).setTerm(entries.get(cut).getTerm())
        .build();
    entries.subList(0, cut + 1).clear();
    entries.add(0, dummy);
  }

  /** The persisted hard state: what a restarted core resumes from. */
  public synchronized HardState hardState() {
    return hardState;
  }

  @Override
  public void close() {
    // nothing to release
  }
}
