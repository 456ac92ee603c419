package io.v2store.storage.log;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The RocksDB instance behind the log: its three column families and the two write modes. */
final class LogDb implements AutoCloseable {
  static final String ENTRIES = "entries";
  static final String META = "meta";
  static final String SNAPSHOT = "snapshot";

  static {
    RocksDB.loadLibrary();
  }

  final RocksDB db;
  final ColumnFamilyHandle entries;
  final ColumnFamilyHandle meta;
  final ColumnFamilyHandle snapshot;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final List<ColumnFamilyHandle> handles;
  private final WriteOptions syncWrites;
  private final WriteOptions bufferedWrites;

  private LogDb(
      RocksDB db,
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      List<ColumnFamilyHandle> handles) {
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.handles = handles;
    this.entries = handles.get(1);
    this.meta = handles.get(2);
    this.snapshot = handles.get(3);
    // A Raft log that does not fsync is not a Raft log: say so explicitly, never rely on defaults.
    this.syncWrites = new WriteOptions().setSync(true).setDisableWAL(false);
    this.bufferedWrites = new WriteOptions().setSync(false).setDisableWAL(false);
  }

  static LogDb open(Path dbDir) throws RocksDBException {
    final DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(2);
    final ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    final List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
            descriptor(ENTRIES, cfOptions),
            descriptor(META, cfOptions),
            descriptor(SNAPSHOT, cfOptions));
    final List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      final RocksDB db = RocksDB.open(dbOptions, dbDir.toString(), descriptors, handles);
      return new LogDb(db, dbOptions, cfOptions, handles);
    } catch (RocksDBException | RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      cfOptions.close();
      dbOptions.close();
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
  }

  private static ColumnFamilyDescriptor descriptor(String name, ColumnFamilyOptions options) {
    return new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII), options);
  }
}
