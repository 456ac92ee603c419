package io.v2store.storage.log;

import java.nio.file.Path;

/** A start names another place for the log's WAL than the one it was created with. */
public final class WalPlacementException extends RuntimeException {
  public WalPlacementException(Path dataDir, String message) {
    super("Raft log in " + dataDir + ": " + message);
  }
}
