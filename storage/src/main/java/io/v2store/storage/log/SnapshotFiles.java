package io.v2store.storage.log;

import io.v2store.raft.pb.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Snapshot data files beside the database. A file is written to a temporary name, fsynced,
 * renamed and the directory fsynced, so after a crash a snapshot file is either whole or absent.
 */
final class SnapshotFiles {
  private static final String PREFIX = "snapshot-";
  private static final String TEMP_SUFFIX = ".tmp";

  private SnapshotFiles() {}

  static SnapshotRecord write(Path dir, SnapshotMetadata metadata, byte[] data) throws IOException {
    final SnapshotRecord record =
        new SnapshotRecord(metadata, data.length, Checksummed.crc32c(data, 0, data.length));
    final Path target = dir.resolve(record.fileName());
    final Path temp = dir.resolve(record.fileName() + TEMP_SUFFIX);
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      final ByteBuffer buffer = ByteBuffer.wrap(data);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(dir);
    return record;
  }

  /** The data of record, checked against its length and checksum. */
  static byte[] read(Path dir, SnapshotRecord record) throws IOException {
    final Path file = dir.resolve(record.fileName());
    final byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new LogCorruptedException(
          dir, record.index(), "snapshot file " + record.fileName() + " is missing");
    }
    if (data.length != record.dataBytes()
        || Checksummed.crc32c(data, 0, data.length) != record.dataCrc()) {
      throw new LogCorruptedException(
          dir, record.index(), "snapshot file " + record.fileName() + " is damaged");
    }
    return data;
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

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
