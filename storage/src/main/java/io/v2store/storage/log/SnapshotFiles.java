package io.v2store.storage.log;

import com.google.protobuf.ByteString;
import io.v2store.raft.SnapshotSink;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.SnapshotFile;
import io.v2store.raft.pb.SnapshotMetadata;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
  /** The most one mapping, and one ByteString (one Snapshot's data), can hold. */
  static final long MAX_MAPPED_BYTES = Integer.MAX_VALUE;

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

    @Override
    public void discard() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // left for the next open's clean-up
      }
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

  /**
   * A new staging file in dir for a leader's snapshot of sizeBytes, written as it arrives
   * (checksummed on the way), not fsynced until it is recorded. The disk must have room for it
   * all: a snapshot that cannot fit is refused before it fills the disk the log writes on.
   */
  static SnapshotSink.Receiving receive(Path dir, long sizeBytes) throws IOException {
    final long usable = Files.getFileStore(dir).getUsableSpace();
    if (sizeBytes > usable) {
      throw new IOException("no room in " + dir + " for a snapshot of " + sizeBytes
          + " bytes (" + usable + " usable)");
    }
    final Path file = Files.createTempFile(dir, STAGING_PREFIX, ".snap");
    final FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return new SnapshotSink.Receiving() {
      private final CRC32C crc = new CRC32C();
      private long bytes;
      private boolean done;

      @Override
      public void write(ByteString chunk) throws IOException {
        for (ByteBuffer part : chunk.asReadOnlyByteBufferList()) {
          crc.update(part.duplicate());
          while (part.hasRemaining()) {
            channel.write(part);
          }
        }
        bytes += chunk.size();
      }

      @Override
      public SnapshotFile finish() throws IOException {
        channel.close();
        done = true;
        return SnapshotFile.newBuilder().setPath(file.toString()).setSizeBytes(bytes)
            .setCrc32C((int) crc.getValue()).build();
      }

      @Override
      public void abort() {
        if (done) {
          return;
        }
        done = true;
        try {
          channel.close();
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // left for the next open's clean-up
        }
      }
    };
  }

  /**
   * A leader's snapshot received by {@link #receive} into dir, to be recorded like one staged
   * here. Only such a file: a Snapshot names no other to move into place.
   */
  static Staged received(Path dir, SnapshotFile dataFile) throws IOException {
    final Path file = Path.of(dataFile.getPath());
    if (!dir.equals(file.getParent())
        || !file.getFileName().toString().startsWith(STAGING_PREFIX)) {
      throw new IllegalArgumentException("snapshot data " + file + " was not received in " + dir);
    }
    if (Files.size(file) != dataFile.getSizeBytes()) {
      throw new IOException("received snapshot " + file + " is " + Files.size(file)
          + " bytes, not " + dataFile.getSizeBytes());
    }
    return new Staged(file, dataFile.getSizeBytes(), dataFile.getCrc32C(), false);
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
   * The data of record, mapped rather than read onto the heap (a lagging follower is sent it),
   * checked against its length and checksum. Files are never rewritten in place, so the mapping
   * stays valid after a newer snapshot replaces this one.
   */
  static ByteBuffer map(Path dir, SnapshotRecord record) throws IOException {
    final Path file = dir.resolve(record.fileName());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      final long size = channel.size();
      if (size != record.dataBytes()) {
        throw damaged(dir, record);
      }
      if (size > MAX_MAPPED_BYTES) {
        // Read as a stream instead (open): a Snapshot names such a file rather than holding it.
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

  /**
   * Checks the data file of record against its length and checksum, read through a small buffer:
   * the file can be larger than one mapping (2 GiB), and the heap need not hold it.
   */
  static void check(Path dir, SnapshotRecord record) throws IOException {
    try (Checked in = (Checked) open(dir, record)) {
      in.readToEnd(); // the stream checks itself at its end
    } catch (Damaged e) {
      throw damaged(dir, record);
    }
  }

  /**
   * The data of record as a stream (a restart restores from it), whatever its size. Its length is
   * checked now; its checksum is computed as it is read and checked when its end is read, where a
   * difference throws an IOException. Files are never rewritten in place, so the stream stays
   * valid after a newer snapshot replaces this one.
   */
  static InputStream open(Path dir, SnapshotRecord record) throws IOException {
    final FileChannel channel;
    try {
      channel = FileChannel.open(dir.resolve(record.fileName()), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new LogCorruptedException(
          dir, record.index(), "snapshot file " + record.fileName() + " is missing");
    }
    try {
      if (channel.size() != record.dataBytes()) {
        throw damaged(dir, record);
      }
      return new Checked(channel, record);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
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

  /** A snapshot file that did not read back as recorded. */
  private static final class Damaged extends IOException {
    Damaged(SnapshotRecord record) {
      super("snapshot file " + record.fileName() + " is damaged");
    }
  }

  /**
   * Reads a snapshot file through a direct buffer of {@link #BUFFER_BYTES}, checksumming what it
   * reads; reading its end checks the length and checksum against the record.
   */
  private static final class Checked extends InputStream {
    private final FileChannel channel;
    private final SnapshotRecord record;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).flip();
    private final CRC32C crc = new CRC32C();
    private long bytes;
    private boolean ended;

    Checked(FileChannel channel, SnapshotRecord record) {
      this.channel = channel;
      this.record = record;
    }

    @Override
    public int read() throws IOException {
      if (!buffer.hasRemaining() && !fill()) {
        return -1;
      }
      return buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!buffer.hasRemaining() && !fill()) {
        return -1;
      }
      final int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }

    /** Reads (and checksums) the rest without copying it out of the buffer. */
    void readToEnd() throws IOException {
      do {
        buffer.position(buffer.limit());
      } while (fill());
    }

    /** Reads the next part of the file; false at its end, once it checked out. */
    private boolean fill() throws IOException {
      if (ended) {
        return false;
      }
      buffer.clear();
      final int n = channel.read(buffer); // a file's read blocks until a byte or its end
      buffer.flip();
      if (n < 0) {
        ended = true;
        if (bytes != record.dataBytes() || (int) crc.getValue() != record.dataCrc()) {
          throw new Damaged(record);
        }
        return false;
      }
      bytes += n;
      crc.update(buffer.duplicate());
      return true;
    }

    @Override
    public void close() throws IOException {
      channel.close();
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
