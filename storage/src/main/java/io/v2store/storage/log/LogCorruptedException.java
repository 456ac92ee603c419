package io.v2store.storage.log;

import java.nio.file.Path;

/**
 * The log on disk is damaged (bad checksum, a gap, terms going backwards, a missing snapshot
 * file). Thrown on open so the server refuses to start rather than serve wrong data; thrown on a
 * read if damage appears later. Names the data directory and, for entries, the first bad index.
 */
public final class LogCorruptedException extends RuntimeException {
  /** {@link #badIndex()} when the damage is in a record that is not an entry. */
  public static final long NO_INDEX = -1;

  private final Path dataDir;
  private final long badIndex;

  public LogCorruptedException(Path dataDir, long badIndex, String problem) {
    super(describe(dataDir, badIndex, problem));
    this.dataDir = dataDir;
    this.badIndex = badIndex;
  }

  /** Damage in a metadata record rather than in an entry. */
  public LogCorruptedException(Path dataDir, String problem) {
    this(dataDir, NO_INDEX, problem);
  }

  public Path dataDir() {
    return dataDir;
  }

  public long badIndex() {
    return badIndex;
  }

  private static String describe(Path dataDir, long badIndex, String problem) {
    final String where = badIndex == NO_INDEX ? "" : " at index " + badIndex;
    return "corrupt Raft log in "
        + dataDir
        + where
        + ": "
        + problem
        + " (refusing to serve it; restore this member from a peer or a backup)";
  }
}
