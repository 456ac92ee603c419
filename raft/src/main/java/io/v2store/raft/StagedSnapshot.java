package io.v2store.raft;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A snapshot's data, written out by {@link DurableLog#stageSnapshot} (on the apply thread, while
 * the state stands still) and recorded later by {@link DurableLog#createSnapshot(long,
 * io.v2store.raft.pb.ConfState, StagedSnapshot)} on the raft thread. Splitting the two lets a
 * large state be streamed to disk instead of being held whole in memory next to itself.
 */
public interface StagedSnapshot {

  /** The data's length in bytes. */
  long sizeBytes();

  /**
   * Makes the written data durable. Any thread; done by createSnapshot if nobody did it before.
   * Kept apart from the writing so that the apply thread, which writes while the state stands
   * still, need not also wait for the disk: the fsync of a snapshot of several hundred MB took
   * 20-300 ms of that stall under load.
   */
  default void sync() throws IOException {}

  /**
   * Gives up data that will never be recorded (a newer snapshot took its place): a staging file
   * is removed at once rather than at the log's next open. Any thread; never throws.
   */
  default void discard() {}

  /** Writes a snapshot's data, streamed. */
  @FunctionalInterface
  interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The data held in memory: what a log that keeps no files stages. */
  record InMemory(byte[] data) implements StagedSnapshot {
    @Override
    public long sizeBytes() {
      return data.length;
    }
  }
}
