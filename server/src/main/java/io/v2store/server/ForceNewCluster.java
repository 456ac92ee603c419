package io.v2store.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.SnapshotMetadata;
import io.v2store.storage.log.RocksDbLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * --force-new-cluster, as etcd does it: a member restarted on its data dir (typically restored
 * from a backup) becomes a one-member cluster that keeps the data. Entries after the last one
 * the member knew to be committed are dropped (the cluster may never have committed them), and
 * committed entries removing every other member are appended in its place, so that the usual
 * apply path takes them out of the Raft configuration and of the member list alike. Run again
 * on a member that is already alone, it changes nothing.
 */
final class ForceNewCluster {
  private static final Logger LOG = Logger.getLogger("etcd");
  private static final long READ_BYTES = 4L << 20;

  private ForceNewCluster() {}

  /** Rewrites log's tail before the Raft core reads it; the member's own id is selfId. */
  static void apply(String name, RocksDbLog log, long selfId) {
    final HardState hardState = log.initialState().hardState();
    final long commit = hardState.getCommit();
    final Set<Long> others = new TreeSet<>(membersAt(log, commit));
    if (!others.remove(selfId)) {
      throw new IllegalStateException(name + ": --force-new-cluster: member "
          + Long.toHexString(selfId) + " is not in its cluster's configuration at index " + commit);
    }
    if (others.isEmpty()) {
      LOG.info(() -> name + ": --force-new-cluster: already the only member; nothing to do");
      return;
    }
    final List<Entry> removals = new ArrayList<>();
    long index = commit;
    for (long id : others) {
      final ConfChange change = ConfChange.newBuilder()
          .setType(ConfChangeType.CONF_CHANGE_REMOVE_NODE).setNodeId(id).build();
      removals.add(Entry.newBuilder().setType(EntryType.ENTRY_CONF_CHANGE)
          .setTerm(hardState.getTerm()).setIndex(++index).setData(change.toByteString()).build());
    }
    final long dropped = log.lastIndex() - commit;
    log.save(hardState.toBuilder().setCommit(index).build(), removals, true);
    LOG.warning(() -> name + ": --force-new-cluster: a one-member cluster from index " + commit
        + " (" + dropped + " uncommitted entries dropped); removing "
        + others.stream().map(Long::toHexString).toList());
  }

  /** Voters and learners as of index: the latest snapshot's, changed by the entries after it. */
  private static Set<Long> membersAt(RocksDbLog log, long index) {
    // The metadata alone: the data file can be larger than one Snapshot can hold.
    final long snapshotIndex =
        log.latestSnapshotMetadata().map(SnapshotMetadata::getIndex).orElse(0L);
    final Set<Long> members = new TreeSet<>(log.initialState().confState().getVotersList());
    members.addAll(log.initialState().confState().getLearnersList());
    long next = Math.max(snapshotIndex + 1, log.firstIndex());
    while (next <= index) {
      final List<Entry> entries = log.entries(next, index + 1, READ_BYTES);
      if (entries.isEmpty()) {
        throw new IllegalStateException("no log entries from " + next + " to " + index);
      }
      for (Entry entry : entries) {
        if (entry.getType() == EntryType.ENTRY_CONF_CHANGE) {
          final ConfChange change = parse(entry);
          if (change.getType() == ConfChangeType.CONF_CHANGE_REMOVE_NODE) {
            members.remove(change.getNodeId());
          } else if (change.getType() != ConfChangeType.CONF_CHANGE_UPDATE_NODE) {
            members.add(change.getNodeId());
          }
        }
      }
      next += entries.size();
    }
    return members;
  }

  private static ConfChange parse(Entry entry) {
    try {
      return ConfChange.parseFrom(entry.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt conf change at index " + entry.getIndex(), e);
    }
  }
}
