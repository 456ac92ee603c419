package io.v2store.storage.log;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.v2store.raft.DurableLog;
import io.v2store.raft.InitialState;
import io.v2store.raft.LogCompactedException;
import io.v2store.raft.LogUnavailableException;
import io.v2store.raft.SnapshotInput;
import io.v2store.raft.SnapshotOutOfDateException;
import io.v2store.raft.SnapshotSink;
import io.v2store.raft.SnapshotTemporarilyUnavailableException;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.HardState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotFile;
import io.v2store.raft.pb.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;

/**
 * The Raft log on RocksDB. Layout of the data directory: {@code db/} is RocksDB (column families
 * {@code entries}, {@code meta}, {@code snapshot}; its WAL inside it unless {@code wal-dir} names
 * another directory); {@code snapshot-<term>-<index>.snap} is the
 * latest snapshot's data, and {@code staging-*.snap} one being written by the apply thread. The first index, last index and the newest entries are kept in memory,
 * so {@link #term} and {@link #entries} on the hot path rarely touch RocksDB.
 *
 * <p>Thread-safety: every method but {@link #checkpoint} is synchronized; the driver is expected
 * to be the only caller, the lock only keeps an occasional reader (metrics, snapshot sender, a
 * backup) safe.
 */
public final class RocksDbLog implements DurableLog {
  static final String DB_DIR = "db";
  /*
   * The hot path reads back only what was written in the last few milliseconds (a follower's
   * next batch, entries just committed): 512 entries are ~35 ms at 15,000 writes/s, and a profile
   * of 256-connection writes found no read of RocksDB with them. 4,096 held ~270 ms of entries:
   * they outlived two or three young collections, overflowed the survivor space and filled the
   * old generation with garbage, which doubled the full collections under load.
   */
  private static final int CACHE_ENTRIES = 512;
  private static final long CACHE_BYTES = 16L << 20;

  private final Path dataDir;
  private final LogDb store;
  private final DiskEntries disk;
  private final RecentEntries recent = new RecentEntries(CACHE_ENTRIES, CACHE_BYTES);
  private LogMeta.Boundary boundary;
  private long lastIndex;
  private HardState hardState;
  private ConfState confState;
  private SnapshotRecord latestSnapshot;
  /** The data of mappedRecord (the latest snapshot when it was sent), mapped and checked. */
  private ByteBuffer mappedSnapshot;
  private SnapshotRecord mappedRecord;
  /** The snapshot files backups taken meanwhile must hold (see {@link #checkpoint}). */
  private final CheckpointSnapshotLinks checkpointLinks;
  private boolean closed;

  private RocksDbLog(Path dataDir, LogDb store) {
    this.dataDir = dataDir;
    this.store = store;
    this.disk = new DiskEntries(store, dataDir);
    this.checkpointLinks = new CheckpointSnapshotLinks(dataDir);
  }

  /**
   * Opens (creating if needed) the log in dir and verifies all of it.
   *
   * @throws LogCorruptedException if the log is damaged or truncated: do not start the member
   */
  public static RocksDbLog open(Path dir) {
    return open(dir, Optional.empty());
  }

  /**
   * As {@link #open(Path)}, with RocksDB's WAL in walDir when present (etcd's --wal-dir). A log
   * whose WAL was placed elsewhere when it was created is refused.
   */
  public static RocksDbLog open(Path dir, Optional<Path> walDirGiven) {
    final Path dataDir = dir.toAbsolutePath();
    final Optional<Path> walDir = walDirGiven.map(p -> p.toAbsolutePath().normalize());
    final LogDb store;
    final Path current = dataDir.resolve(DB_DIR).resolve("CURRENT");
    final boolean creating = !Files.exists(current);
    try {
      WalPlacement.check(dataDir, walDir);
      Files.createDirectories(dataDir.resolve(DB_DIR));
      if (walDir.isPresent()) {
        Files.createDirectories(walDir.get());
      }
      store = LogDb.open(dataDir.resolve(DB_DIR), walDir);
    } catch (IOException | RocksDBException e) {
      if (creating) {
        // No log was made (a --wal-dir that is not writable, or not a directory): what this
        // attempt recorded would otherwise refuse the next start its own --wal-dir.
        forgetCreation(dataDir, current);
      }
      if (e instanceof RocksDBException r && r.getStatus() != null
          && r.getStatus().getCode() == Status.Code.Corruption) {
        // a damaged WAL record (LogDb): one line, as etcd's "crc mismatch", not a stack trace
        throw new LogCorruptedException(dataDir,
            "its write-ahead log is damaged (" + r.getMessage() + ")");
      }
      throw new LogStorageException(dataDir, "open", e);
    }
    final RocksDbLog log = new RocksDbLog(dataDir, store);
    try {
      log.load();
      return log;
    } catch (RuntimeException | RocksDBException | IOException e) {
      store.close();
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new LogStorageException(dataDir, "open", e);
    }
  }

  /**
   * As {@link #open(Path, Optional)}, for a member that already has a log (its data dir records
   * its identity): a log that is not there any more is refused rather than created empty, which
   * would start the member over as if it had never acknowledged a write.
   *
   * @throws LogCorruptedException if dir holds no log
   */
  public static RocksDbLog openExisting(Path dir, Optional<Path> walDir) {
    final Path dataDir = dir.toAbsolutePath();
    if (!Files.exists(dataDir.resolve(DB_DIR).resolve("CURRENT"))) {
      throw new LogCorruptedException(dataDir,
          "the log (" + DB_DIR + "/) is missing, though the data dir holds a member");
    }
    return open(dir, walDir);
  }

  /** Removes what a failed first open made that a later open would take for a log's. */
  private static void forgetCreation(Path dataDir, Path current) {
    try {
      Files.deleteIfExists(current);
      Files.deleteIfExists(dataDir.resolve(WalPlacement.FILE));
    } catch (IOException ignored) {
      // the open's own failure is the one to report
    }
  }

  private void load() throws RocksDBException, IOException {
    final byte[] boundaryValue = store.db.get(store.meta, LogMeta.FIRST_INDEX);
    boundary =
        boundaryValue == null
            ? LogMeta.Boundary.EMPTY
            : LogMeta.Boundary.decode(dataDir, boundaryValue);
    final byte[] hs = store.db.get(store.meta, LogMeta.HARD_STATE);
    hardState =
        hs == null
            ? HardState.getDefaultInstance()
            : LogMeta.decode(dataDir, "hard state", HardState.parser(), hs);
    final byte[] cs = store.db.get(store.meta, LogMeta.CONF_STATE);
    confState =
        cs == null
            ? ConfState.getDefaultInstance()
            : LogMeta.decode(dataDir, "conf state", ConfState.parser(), cs);
    final byte[] snap = store.db.get(store.snapshot, LogMeta.LATEST_SNAPSHOT);
    latestSnapshot = snap == null ? null : SnapshotRecord.decode(dataDir, snap);
    if (LogScan.hasEntriesBelow(store, boundary.firstIndex())) {
      store.db.deleteRange(store.entries, IndexKey.of(0), IndexKey.of(boundary.firstIndex()));
    }
    lastIndex = LogScan.verify(store, dataDir, boundary, hardState, recent);
    if (latestSnapshot != null) {
      SnapshotFiles.check(dataDir, latestSnapshot); // now: a damaged file refuses the start
    }
    SnapshotFiles.deleteAllExcept(
        dataDir, latestSnapshot == null ? null : latestSnapshot.fileName());
    SnapshotFiles.deleteStaging(dataDir);
  }

  @Override
  public synchronized InitialState initialState() {
    ensureOpen();
    return new InitialState(hardState, confState);
  }

  @Override
  public synchronized List<Entry> entries(long lo, long hi, long maxBytes) {
    ensureOpen();
    if (lo <= boundary.compactedIndex()) {
      throw new LogCompactedException("entries from " + lo + " are compacted; first is " + firstIndex());
    }
    if (hi > lastIndex + 1) {
      throw new LogUnavailableException("entries up to " + hi + " requested; last is " + lastIndex);
    }
    if (lo > hi) {
      throw new IllegalArgumentException("lo " + lo + " > hi " + hi);
    }
    final List<Entry> out = new ArrayList<>();
    if (lo == hi) {
      return out;
    }
    if (recent.get(lo) != null) {
      long bytes = 0;
      for (long i = lo; i < hi; i++) {
        final Entry entry = recent.get(i);
        bytes += entry.getSerializedSize();
        if (!out.isEmpty() && bytes > maxBytes) {
          break;
        }
        out.add(entry);
      }
      return out;
    }
    disk.readRange(lo, hi, maxBytes, out);
    return out;
  }

  @Override
  public synchronized long term(long i) {
    ensureOpen();
    if (i < boundary.compactedIndex()) {
      throw new LogCompactedException("term of " + i + " is compacted; first is " + firstIndex());
    }
    if (i > lastIndex) {
      throw new LogUnavailableException("term of " + i + " requested; last is " + lastIndex);
    }
    if (i == boundary.compactedIndex()) {
      return boundary.prevTerm();
    }
    final Entry cached = recent.get(i);
    if (cached != null) {
      return cached.getTerm();
    }
    return disk.read(i).getTerm();
  }

  @Override
  public synchronized long firstIndex() {
    ensureOpen();
    return boundary.firstIndex();
  }

  @Override
  public synchronized long lastIndex() {
    ensureOpen();
    return lastIndex;
  }

  @Override
  public synchronized Snapshot snapshot() {
    ensureOpen();
    if (latestSnapshot == null) {
      throw new SnapshotTemporarilyUnavailableException("no snapshot has been taken yet");
    }
    if (latestSnapshot.dataBytes() > SnapshotFiles.MAX_MAPPED_BYTES) {
      // More than one ByteString holds: the file itself, which the transport streams.
      return Snapshot.newBuilder().setMetadata(latestSnapshot.metadata())
          .setDataFile(SnapshotFile.newBuilder()
              .setPath(dataDir.resolve(latestSnapshot.fileName()).toString())
              .setSizeBytes(latestSnapshot.dataBytes())
              .setCrc32C(latestSnapshot.dataCrc()))
          .build();
    }
    try {
      // Wrapped, not copied: the file is never modified, and the heap need not hold a second
      // key space while one is restored from it.
      // Mapped and checked once per file (it never changes): a leader sends it to each follower
      // that needs it, and again at every heartbeat to one that keeps refusing it.
      if (mappedSnapshot == null || mappedRecord != latestSnapshot) {
        mappedSnapshot = SnapshotFiles.map(dataDir, latestSnapshot);
        mappedRecord = latestSnapshot;
      }
      final ByteString data = UnsafeByteOperations.unsafeWrap(mappedSnapshot.duplicate());
      return Snapshot.newBuilder().setMetadata(latestSnapshot.metadata()).setData(data).build();
    } catch (IOException e) {
      throw new LogStorageException(dataDir, "read snapshot", e);
    }
  }

  /**
   * The latest snapshot, its data read as a stream from its file: what a restart restores from,
   * of any size (a {@link Snapshot} holds at most 2 GiB). The file was checked when the log was
   * opened; the stream checks it again as it reaches its end. The caller closes it.
   *
   * @throws SnapshotTemporarilyUnavailableException if no snapshot has been taken yet
   */
  @Override
  public synchronized SnapshotInput openSnapshot() {
    ensureOpen();
    if (latestSnapshot == null) {
      throw new SnapshotTemporarilyUnavailableException("no snapshot has been taken yet");
    }
    try {
      return new SnapshotInput(latestSnapshot.metadata(), latestSnapshot.dataBytes(),
          SnapshotFiles.open(dataDir, latestSnapshot));
    } catch (IOException e) {
      throw new LogStorageException(dataDir, "read snapshot", e);
    }
  }

  /** The latest snapshot's metadata, without its data; empty if none has been taken yet. */
  public synchronized Optional<SnapshotMetadata> latestSnapshotMetadata() {
    ensureOpen();
    return latestSnapshot == null ? Optional.empty() : Optional.of(latestSnapshot.metadata());
  }

  @Override
  public synchronized void save(HardState newHardState, List<Entry> entries, boolean sync) {
    ensureOpen();
    final List<Entry> fresh = dropCompacted(entries);
    checkAppendable(fresh);
    if (fresh.isEmpty() && newHardState == null) {
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      long newLast = lastIndex;
      if (!fresh.isEmpty()) {
        for (Entry entry : fresh) {
          batch.put(store.entries, IndexKey.of(entry.getIndex()), EntryCodec.encode(entry));
        }
        newLast = fresh.get(fresh.size() - 1).getIndex();
        if (newLast < lastIndex) {
          batch.deleteRange(store.entries, IndexKey.of(newLast + 1), IndexKey.of(lastIndex + 1));
        }
      }
      if (newHardState != null) {
        batch.put(store.meta, LogMeta.HARD_STATE, LogMeta.encode(newHardState));
      }
      store.write(batch, sync);
      lastIndex = newLast;
      recent.append(fresh);
      if (newHardState != null) {
        hardState = newHardState;
      }
    } catch (RocksDBException e) {
      throw new LogStorageException(dataDir, "save", e);
    }
  }

  /** Entries at or below the compacted index are already covered by the snapshot: skip them. */
  private List<Entry> dropCompacted(List<Entry> entries) {
    int skip = 0;
    while (skip < entries.size() && entries.get(skip).getIndex() <= boundary.compactedIndex()) {
      skip++;
    }
    return entries.subList(skip, entries.size());
  }

  private void checkAppendable(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    final long start = entries.get(0).getIndex();
    if (start > lastIndex + 1) {
      throw new IllegalArgumentException(
          "entry " + start + " would leave a gap after last index " + lastIndex);
    }
    long prevTerm = term(start - 1);
    long expected = start;
    for (Entry entry : entries) {
      if (entry.getIndex() != expected || entry.getTerm() < prevTerm) {
        throw new IllegalArgumentException(
            "entries must be contiguous with non-decreasing terms; bad entry "
                + entry.getIndex()
                + " term "
                + entry.getTerm());
      }
      prevTerm = entry.getTerm();
      expected++;
    }
  }

  @Override
  public synchronized void createSnapshot(long index, ConfState newConfState, byte[] data) {
    createSnapshot(index, newConfState, stage(out -> out.write(data)));
  }

  /**
   * Streams the data to a staging file, not yet fsynced (see {@link StagedSnapshot#sync}). Not
   * synchronized: the apply thread writes a large state here while the raft thread goes on using
   * the log; only files named staging-* are touched.
   */
  @Override
  public StagedSnapshot stageSnapshot(StagedSnapshot.Writer writer) throws IOException {
    return SnapshotFiles.stageUnsynced(dataDir, writer);
  }

  /**
   * Where the transport receives a leader's snapshot: a staging file in the data dir each, as the
   * apply thread's (so the next open removes one a crash left), installed by {@link
   * #applySnapshot} moving it into place. Any thread; touches only files it makes.
   */
  public SnapshotSink snapshotSink() {
    return sizeBytes -> SnapshotFiles.receive(dataDir, sizeBytes);
  }

  @Override
  public synchronized void createSnapshot(
      long index, ConfState newConfState, StagedSnapshot staged) {
    if (!(staged instanceof SnapshotFiles.Staged file)) {
      throw new IllegalArgumentException("snapshot data not staged by this log: " + staged);
    }
    try {
      record(index, newConfState, file);
    } catch (RuntimeException e) {
      file.discard();
      throw e;
    }
  }

  private void record(long index, ConfState newConfState, SnapshotFiles.Staged data) {
    ensureOpen();
    // The same index again replaces the data: a member that restarts before its first write
    // records its initial snapshot a second time.
    if (latestSnapshot != null && index < latestSnapshot.index()) {
      throw new SnapshotOutOfDateException(index, latestSnapshot.index());
    }
    if (index > lastIndex) {
      throw new IllegalArgumentException("snapshot at " + index + " is beyond last " + lastIndex);
    }
    final SnapshotMetadata metadata =
        SnapshotMetadata.newBuilder()
            .setIndex(index)
            .setTerm(term(index))
            .setConfState(newConfState)
            .build();
    recordSnapshot(metadata, data, null, 0);
  }

  @Override
  public synchronized void applySnapshot(Snapshot snapshot) {
    ensureOpen();
    final SnapshotMetadata metadata = snapshot.getMetadata();
    final long index = metadata.getIndex();
    if (latestSnapshot != null && index <= latestSnapshot.index()) {
      throw new IllegalArgumentException(
          "snapshot at " + index + " is out of date; latest is " + latestSnapshot.index());
    }
    // Entries after the snapshot survive only if the log agrees with it at its index.
    final boolean keepSuffix =
        index >= boundary.compactedIndex()
            && index <= lastIndex
            && term(index) == metadata.getTerm();
    final LogMeta.Boundary newBoundary = new LogMeta.Boundary(index + 1, metadata.getTerm());
    final long discardEnd = keepSuffix ? index + 1 : Math.max(index, lastIndex) + 1;
    final SnapshotFiles.Staged data =
        snapshot.hasDataFile() ? received(snapshot) : stage(snapshot.getData()::writeTo);
    try {
      recordSnapshot(metadata, data, newBoundary, discardEnd);
    } catch (RuntimeException e) {
      data.discard();
      throw e;
    }
    if (keepSuffix) {
      recent.dropBefore(index + 1);
    } else {
      recent.clear();
      lastIndex = index;
    }
  }

  /**
   * Writes the data file, then (one synced batch) the snapshot record, conf state and, when
   * installing a leader's snapshot, the new boundary and the discarding of entries below
   * discardEnd.
   */
  private void recordSnapshot(
      SnapshotMetadata metadata,
      SnapshotFiles.Staged data,
      LogMeta.Boundary newBoundary,
      long discardEnd) {
    try (WriteBatch batch = new WriteBatch()) {
      final SnapshotRecord record = SnapshotFiles.commit(dataDir, metadata, data);
      batch.put(store.snapshot, LogMeta.LATEST_SNAPSHOT, record.encode());
      batch.put(store.meta, LogMeta.CONF_STATE, LogMeta.encode(metadata.getConfState()));
      if (newBoundary != null) {
        batch.put(store.meta, LogMeta.FIRST_INDEX, newBoundary.encode());
        batch.deleteRange(store.entries, IndexKey.of(0), IndexKey.of(discardEnd));
      }
      store.write(batch, true);
      latestSnapshot = record;
      mappedSnapshot = null; // the replaced file's mapping goes with its last send
      mappedRecord = null;
      confState = metadata.getConfState();
      if (newBoundary != null) {
        boundary = newBoundary;
      }
      checkpointLinks.recorded(record);
      SnapshotFiles.deleteAllExcept(dataDir, record.fileName());
    } catch (RocksDBException | IOException e) {
      throw new LogStorageException(dataDir, "record snapshot", e);
    }
  }

  private SnapshotFiles.Staged stage(StagedSnapshot.Writer writer) {
    try {
      return SnapshotFiles.stage(dataDir, writer);
    } catch (IOException e) {
      throw new LogStorageException(dataDir, "write snapshot", e);
    }
  }

  private SnapshotFiles.Staged received(Snapshot snapshot) {
    try {
      return SnapshotFiles.received(dataDir, snapshot.getDataFile());
    } catch (IOException e) {
      throw new LogStorageException(dataDir, "install snapshot", e);
    }
  }

  /** A staged file that will never be recorded (out of date, or the record failed). */
  @Override
  public synchronized void compact(long compactIndex) {
    ensureOpen();
    if (compactIndex <= boundary.compactedIndex()) {
      return;
    }
    final long snapshotIndex = latestSnapshot == null ? 0 : latestSnapshot.index();
    if (compactIndex > snapshotIndex || compactIndex > lastIndex) {
      throw new IllegalArgumentException(
          "cannot compact to "
              + compactIndex
              + ": snapshot is at "
              + snapshotIndex
              + ", last index "
              + lastIndex);
    }
    final LogMeta.Boundary newBoundary =
        new LogMeta.Boundary(compactIndex + 1, term(compactIndex));
    // The new first index goes in before the prefix goes away (same batch, so also atomic).
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(store.meta, LogMeta.FIRST_INDEX, newBoundary.encode());
      batch.deleteRange(store.entries, IndexKey.of(0), IndexKey.of(newBoundary.firstIndex()));
      store.write(batch, true);
      boundary = newBoundary;
      recent.dropBefore(newBoundary.firstIndex());
    } catch (RocksDBException e) {
      throw new LogStorageException(dataDir, "compact", e);
    }
  }

  /**
   * Writes into target (a directory that need not exist) a copy of this log as of one moment, as
   * a stopped member would leave its raft directory: what a backup of a running member copies.
   * Not synchronized: the raft thread goes on writing meanwhile (see {@link LogCheckpoint}). The
   * caller must not close the log before this returns.
   */
  public void checkpoint(Path target) {
    LogCheckpoint.take(store, new LogCheckpoint.SnapshotFileState() {
      @Override
      public long linkLatestInto(Path to) throws IOException {
        synchronized (RocksDbLog.this) {
          ensureOpen();
          return checkpointLinks.linkLatestInto(latestSnapshot, to);
        }
      }

      @Override
      public void done(Path to) {
        synchronized (RocksDbLog.this) {
          checkpointLinks.done(to);
        }
      }
    }, target.toAbsolutePath());
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      store.close();
    }
  }

  /** The data directory, for log lines and error messages. */
  public Path dataDir() {
    return dataDir;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Raft log in " + dataDir + " is closed");
    }
  }
}
