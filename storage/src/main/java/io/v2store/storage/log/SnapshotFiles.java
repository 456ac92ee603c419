package io.v2store.storage.log;

import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Snapshot data files beside the database. Data is streamed to a staging file and fsynced, then
 * renamed to its final name and the directory fsynced, so after a crash a snapshot file is either
 * whole or absent. Nothing here holds a snapshot in heap memory: the state can be as large as the
 * heap allows only once.
 */
final class SnapshotFiles {
  private static final String PREFIX = "snapshot-";
  /** Not {@link #PREFIX}: the raft thread's clean-up must never remove a file being staged. */
  private static final String STAGING_PREFIX = "staging-";
  private static final int BUFFER_BYTES = 1 << 16;

  private SnapshotFiles() {}

  /**
   * Data written to a staging file: its length and CRC32C, computed as it was written, and
   * whether the file has been fsynced yet.
   */
  static final class Staged implements StagedSnapshot {
    private final Path file;
    private final long sizeBytes;
    private final int crc;
    private volatile boolean synced;

    Staged(Path file, long sizeBytes, int crc, boolean synced) {
      this.file = file;
      this.sizeBytes = sizeBytes;
      this.crc = crc;
      this.synced = synced;
    }

    Path file() {
      return file;
    }

    @Override
    public long sizeBytes() {
      return sizeBytes;
    }

    int crc() {
      return crc;
    }

    boolean synced() {
      return synced;
    }

    @Override
    public void sync() throws IOException {
      if (synced) return;
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      synced = true;
    }
  }

  /** Streams writer's data to a new staging file in dir and fsyncs it. Any thread. */
  static Staged stage(Path dir, StagedSnapshot.Writer writer) throws IOException {
    Staged staged = stageUnsynced(dir, writer);
    try {
      staged.sync();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(staged.file());
      throw e;
    }
    return staged;
  }

  /** Streams writer's data to a new staging file in dir, not yet fsynced. Any thread. */
  static Staged stageUnsynced(Path dir, StagedSnapshot.Writer writer) throws IOException {
    final Path file = Files.createTempFile(dir, STAGING_PREFIX, ".snap");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      final Checksumming out = new Checksumming(
          new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES));
      writer.writeTo(out);
      out.flush(); // written to the file; durable only once synced
      return new Staged(file, out.bytes, (int) out.crc.getValue(), false);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Makes staged the data file of metadata: renamed into place, the directory fsynced. */
  static SnapshotRecord commit(Path dir, SnapshotMetadata metadata, Staged staged)
      throws IOException {
    staged.sync(); // no snapshot is recorded before its data is durable, whoever forgot to sync
    final SnapshotRecord record = new SnapshotRecord(metadata, staged.sizeBytes(), staged.crc());
    Files.move(
        staged.file(),
        dir.resolve(record.fileName()),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(dir);
    return record;
  }

  /**
   * The data of record, mapped rather than read onto the heap (a restart restores from it, a
   * lagging follower is sent it), checked against its length and checksum. Files are never
   * rewritten in place, so the mapping stays valid after a newer snapshot replaces this one.
   */
  static ByteBuffer map(Path dir, SnapshotRecord record) throws IOException {
    final Path file = dir.resolve(record.fileName());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      final long size = channel.size();
      if (size != record.dataBytes()) {
        throw damaged(dir, record);
      }
      if (size > Integer.MAX_VALUE) {
        // A Raft message (and a protobuf) cannot carry more; no key space is near this.
        throw new IOException("snapshot file " + file + " is over 2 GiB");
      }
      final ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      final CRC32C crc = new CRC32C();
      crc.update(data.duplicate());
      if ((int) crc.getValue() != record.dataCrc()) {
        throw damaged(dir, record);
      }
      return data;
    } catch (NoSuchFileException e) {
      throw new LogCorruptedException(
          dir, record.index(), "snapshot file " + record.fileName() + " is missing");
    }
  }

  /** Removes every snapshot or temporary file except keepName (null keeps none). */
  static void deleteAllExcept(Path dir, String keepName) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path file : files) {
        if (!file.getFileName().toString().equals(keepName)) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** Removes staging files a crash left behind; only while nothing can be staging. */
  static void deleteStaging(Path dir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, STAGING_PREFIX + "*")) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static LogCorruptedException damaged(Path dir, SnapshotRecord record) {
    return new LogCorruptedException(
        dir, record.index(), "snapshot file " + record.fileName() + " is damaged");
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Counts and checksums what passes through, on its way to the buffered file. */
  private static final class Checksumming extends FilterOutputStream {
    final CRC32C crc = new CRC32C();
    long bytes;

    Checksumming(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      bytes += len;
    }
  }
}
