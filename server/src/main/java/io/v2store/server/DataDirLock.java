package io.v2store.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * One member process per data dir. A second one waits for the first to exit instead of failing on
 * RocksDB's own lock with a stack trace, as etcd waits on its backend's lock: a supervisor that
 * starts the new process while the old one is still exiting then just works. Unlike etcd, which
 * says so only after 10 s, the wait is logged at once.
 */
final class DataDirLock implements AutoCloseable {
  static final String FILE = "lock";
  private static final Logger LOG = Logger.getLogger("etcd");
  private static final long RETRY_MILLIS = 100;

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Blocks until this process holds memberDir's lock (creating the directory if need be). */
  static DataDirLock acquire(Path memberDir, String name) throws IOException, InterruptedException {
    Files.createDirectories(memberDir);
    Path file = memberDir.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    boolean said = false;
    try {
      while (true) {
        FileLock lock = tryLock(channel);
        if (lock != null) return new DataDirLock(channel, lock);
        if (!said) {
          LOG.warning(name + ": another etcd process is using \"" + memberDir
              + "\" and holds the file lock; waiting for it to exit before starting...");
          said = true;
        }
        Thread.sleep(RETRY_MILLIS);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** null while another process (or another member of this one) holds it. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldHere) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      LOG.warning("cannot release the data dir lock: " + e);
    }
  }
}
