package io.v2store.raft.transport;

import com.google.protobuf.ByteString;
import io.v2store.raft.SnapshotSink;
import io.v2store.raft.pb.SnapshotFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Receives snapshots into files in one directory, as a log that keeps files does. */
final class FileSink implements SnapshotSink {
  private final Path dir;

  FileSink(Path dir) {
    this.dir = dir;
  }

  @Override
  public Receiving open(long sizeBytes) throws IOException {
    final Path file = Files.createTempFile(dir, "staging-", ".snap");
    final OutputStream out = Files.newOutputStream(file);
    final CRC32C crc = new CRC32C();
    return new Receiving() {
      long bytes;
      boolean done;

      @Override
      public void write(ByteString chunk) throws IOException {
        chunk.writeTo(out);
        crc.update(chunk.asReadOnlyByteBuffer());
        bytes += chunk.size();
      }

      @Override
      public SnapshotFile finish() throws IOException {
        out.close();
        done = true;
        return SnapshotFile.newBuilder().setPath(file.toString()).setSizeBytes(bytes)
            .setCrc32C((int) crc.getValue()).build();
      }

      @Override
      public void abort() {
        if (done) return;
        done = true;
        try {
          out.close();
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // the test's directory goes anyway
        }
      }
    };
  }
}
