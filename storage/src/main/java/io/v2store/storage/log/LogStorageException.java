package io.v2store.storage.log;

import java.nio.file.Path;

/** RocksDB or the file system failed; the log may not have recorded the last write. */
public final class LogStorageException extends RuntimeException {
  public LogStorageException(Path dataDir, String action, Throwable cause) {
    super("Raft log in " + dataDir + ": " + action + " failed: " + cause.getMessage(), cause);
  }
}
