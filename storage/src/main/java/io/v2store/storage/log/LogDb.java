package io.v2store.storage.log;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The RocksDB instance behind the log: its three column families and the two write modes. */
final class LogDb implements AutoCloseable {
  static final String ENTRIES = "entries";
  static final String META = "meta";
  static final String SNAPSHOT = "snapshot";
  /*
   * Memory bounds for a Raft log, not a database. Entries are appended once, read back mostly
   * from RocksDbLog's own cache of recent entries (or by a lagging follower, sequentially), and
   * deleted by range after each snapshot, so RocksDB's defaults (64 MiB memtables, two per column
   * family, a 32 MiB block cache) buy nothing but resident memory and a longer WAL replay on
   * open. A 4 MiB memtable holds a few thousand entries, flushed in the background; durability
   * is the synced WAL either way.
   */
  private static final long WRITE_BUFFER_BYTES = 4L << 20;
  private static final int MAX_WRITE_BUFFERS = 2;
  private static final long BLOCK_CACHE_BYTES = 4L << 20;
  /*
   * meta and snapshot see a few bytes per save: without a cap on the WAL they would never fill a
   * memtable, never flush, and keep every WAL file (and its replay at open) alive.
   */
  private static final long MAX_TOTAL_WAL_BYTES = 32L << 20;

  /*
   * A damaged record in the middle of the WAL must stop the member, as etcd's WAL does ("crc
   * mismatch"): RocksDB's default, point-in-time recovery, silently replays only up to it, so one
   * flipped byte rolled a member back by every write after it, acknowledged ones and its term and
   * vote included (a vote forgotten is a vote that can be given twice). Only an incomplete record
   * at the very end, a write a crash cut short before it was acknowledged, is dropped.
   *
   * WAL files are therefore not reused: RocksDB recycles them only under point-in-time recovery,
   * which is what tells a reused file's old records from new ones. Reuse had bought one
   * connection's writes a p50 of 0.955x (an overwrite syncs no file-system journal); giving it up
   * cost a little more back: one connection's write p50 1.07-1.12x (0.40 against 0.37 ms), and
   * 256 connections' writes to the leader 0.96-1.06x the rate, in alternated comparisons of two
   * equally warmed clusters (bench/README.md, twenty-eighth session).
   */

  static {
    RocksDB.loadLibrary();
  }

  final RocksDB db;
  final ColumnFamilyHandle entries;
  final ColumnFamilyHandle meta;
  final ColumnFamilyHandle snapshot;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final Cache blockCache;
  private final List<ColumnFamilyHandle> handles;
  private final WriteOptions syncWrites;
  private final WriteOptions bufferedWrites;

  private LogDb(
      RocksDB db,
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      Cache blockCache,
      List<ColumnFamilyHandle> handles) {
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.blockCache = blockCache;
    this.handles = handles;
    this.entries = handles.get(1);
    this.meta = handles.get(2);
    this.snapshot = handles.get(3);
    // A Raft log that does not fsync is not a Raft log: say so explicitly, never rely on defaults.
    this.syncWrites = new WriteOptions().setSync(true).setDisableWAL(false);
    this.bufferedWrites = new WriteOptions().setSync(false).setDisableWAL(false);
  }

  static LogDb open(Path dbDir) throws RocksDBException {
    return open(dbDir, Optional.empty());
  }

  /** With the WAL in walDir when present (etcd's --wal-dir), else inside dbDir. */
  static LogDb open(Path dbDir, Optional<Path> walDir) throws RocksDBException {
    final DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(2)
            .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
            .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
            .setAtomicFlush(true);
    walDir.ifPresent(dir -> dbOptions.setWalDir(dir.toString()));
    // One cache shared by the column families (the table factory is shared through cfOptions).
    final Cache blockCache = new LRUCache(BLOCK_CACHE_BYTES);
    final ColumnFamilyOptions cfOptions =
        new ColumnFamilyOptions()
            .setWriteBufferSize(WRITE_BUFFER_BYTES)
            .setMaxWriteBufferNumber(MAX_WRITE_BUFFERS)
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache));
    final List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
            descriptor(ENTRIES, cfOptions),
            descriptor(META, cfOptions),
            descriptor(SNAPSHOT, cfOptions));
    final List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      final RocksDB db = RocksDB.open(dbOptions, dbDir.toString(), descriptors, handles);
      return new LogDb(db, dbOptions, cfOptions, blockCache, handles);
    } catch (RocksDBException | RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      cfOptions.close();
      dbOptions.close();
      blockCache.close();
      throw e;
    }
  }

  void write(WriteBatch batch, boolean sync) throws RocksDBException {
    db.write(sync ? syncWrites : bufferedWrites, batch);
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    syncWrites.close();
    bufferedWrites.close();
    cfOptions.close();
    dbOptions.close();
    blockCache.close();
  }

  private static ColumnFamilyDescriptor descriptor(String name, ColumnFamilyOptions options) {
    return new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII), options);
  }
}
