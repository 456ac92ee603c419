package io.v2store.raft.driver;

import io.v2store.raft.DurableLog;
import io.v2store.raft.InitialState;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Snapshot;
import java.util.List;

/** A MemoryLog behind a DurableLog whose snapshot methods a test overrides. */
abstract class DelegatingLog implements DurableLog {
  protected final MemoryLog log;

  DelegatingLog(MemoryLog log) {
    this.log = log;
  }

  @Override
  public void createSnapshot(long index, ConfState confState, byte[] data) {
    log.createSnapshot(index, confState, data);
  }

  @Override
  public InitialState initialState() {
    return log.initialState();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    return log.entries(lo, hi, maxBytes);
  }

  @Override
  public long term(long i) {
    return log.term(i);
  }

  @Override
  public long firstIndex() {
    return log.firstIndex();
  }

  @Override
  public long lastIndex() {
    return log.lastIndex();
  }

  @Override
  public Snapshot snapshot() {
    return log.snapshot();
  }

  @Override
  public void save(HardState hardState, List<Entry> entries, boolean sync) {
    log.save(hardState, entries, sync);
  }

  @Override
  public void applySnapshot(Snapshot snapshot) {
    log.applySnapshot(snapshot);
  }

  @Override
  public void compact(long compactIndex) {
    log.compact(compactIndex);
  }

  @Override
  public void close() {
    log.close();
  }
}
