package io.v2store.raft;

import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.Snapshot;
import java.util.List;

/**
 * Everything the core asks the driver to do after a batch of inputs. The driver handles one Ready
 * at a time, in this order, then calls {@code RawNode.advance(ready)}:
 *
 * <ol>
 *   <li>send {@link #messages()}: they do not depend on anything in this Ready being durable (a
 *       leader's AppendEntries may go out while it writes the same entries to its own disk);
 *   <li>persist {@link #snapshot()} (if any), then {@link #entries()} and {@link #hardState()} in
 *       one write, fsynced when {@link #mustSync()};
 *   <li>send {@link #messagesAfterPersist()}: votes and append acknowledgements promise that
 *       something is on disk, so they may only leave after step 2;
 *   <li>apply the snapshot (if any) and then {@link #committedEntries()} to the state machine, in
 *       order (the driver may hand these to an apply thread, but never reorder them). A Ready
 *       with no entries and no snapshot may have its normal committed entries applied first,
 *       before step 1: everything in the log is already durable here, and they on a majority
 *       (not a conf change: a member being removed learns of it from this Ready's messages);
 *   <li>deliver {@link #readStates()} to waiting linearizable reads.
 * </ol>
 *
 * @param softState the new leader/role, or null if unchanged
 * @param hardState the hard state to persist, or null if unchanged
 * @param readStates ReadIndex results: a read with this context may be served once applied >= index
 * @param entries new log entries to append (replacing any conflicting suffix)
 * @param snapshot a snapshot from the leader to install, or null
 * @param committedEntries entries now committed, not yet applied, in log order
 * @param messages messages that may be sent before the persist step
 * @param messagesAfterPersist messages that may be sent only after the persist step
 * @param mustSync whether the persist step must fsync (false when only the commit index moved)
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    List<ReadState> readStates,
    List<Entry> entries,
    Snapshot snapshot,
    List<Entry> committedEntries,
    List<Message> messages,
    List<Message> messagesAfterPersist,
    boolean mustSync) {

  public boolean containsUpdates() {
    return softState != null
        || hardState != null
        || snapshot != null
        || !readStates.isEmpty()
        || !entries.isEmpty()
        || !committedEntries.isEmpty()
        || !messages.isEmpty()
        || !messagesAfterPersist.isEmpty();
  }

  /** What the persist step saves, as protobuf sizes it (each message caches its size). */
  public long savedBytes() {
    long bytes = hardState == null ? 0 : hardState.getSerializedSize();
    for (int i = 0; i < entries.size(); i++) bytes += entries.get(i).getSerializedSize();
    return bytes;
  }
}
