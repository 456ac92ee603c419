package io.v2store.storage.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The snapshot data files that copies of a running log (LogCheckpoint) must hold. A copy links
 * the latest file before and after RocksDB's checkpoint; each snapshot recorded in between is
 * linked into every copy under way as it is recorded, before the file it replaces is deleted, so
 * the file the copy's record names is always there. Not thread-safe: the log calls every method
 * holding its own lock, under which it records snapshots.
 */
final class CheckpointSnapshotLinks {
  private final Path dataDir;
  /** Snapshots recorded since open. */
  private long recorded;
  /** Copies under way, each with how many recorded snapshots were linked into it. */
  private final Map<Path, long[]> underWay = new HashMap<>();

  CheckpointSnapshotLinks(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Links latest (null: none yet) into target, and from now until {@link #done} each snapshot
   * recorded into it too. Returns the snapshots recorded, less those so linked into target: two
   * recorded while a checkpoint runs (at --snapshot-count 1, many are) then leave the one its
   * record names in the copy, and the copy is not taken again.
   */
  long linkLatestInto(SnapshotRecord latest, Path target) throws IOException {
    if (latest != null) {
      LogCheckpoint.link(dataDir.resolve(latest.fileName()), target);
    }
    long[] linked = underWay.putIfAbsent(target, new long[1]);
    return recorded - (linked == null ? 0 : linked[0]);
  }

  void done(Path target) {
    underWay.remove(target);
  }

  /**
   * A snapshot was recorded, and the file it replaces is about to be deleted. A hard link only
   * (the raft thread records snapshots: no copy of one here); one that cannot be made is not
   * counted, and the checkpoint's own check decides.
   */
  void recorded(SnapshotRecord record) {
    recorded++;
    Path file = dataDir.resolve(record.fileName());
    for (Map.Entry<Path, long[]> copy : underWay.entrySet()) {
      try {
        Files.createLink(copy.getKey().resolve(file.getFileName()), file);
        copy.getValue()[0]++;
      } catch (IOException | UnsupportedOperationException e) {
        // the copy holds an older file; taken again if that one is not the one it names
      }
    }
  }
}
