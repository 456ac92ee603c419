package io.v2store.raft.driver;

import static io.v2store.raft.driver.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.SnapshotInput;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotFile;
import io.v2store.raft.pb.SnapshotMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader's snapshot that the transport received into a file (it can be larger than one
 * Snapshot holds) reaches the state machine as a stream from the log, once the log installed the
 * file; a file the core does not take is removed.
 */
class SnapshotFileInstallTest {
  private static final ConfState TWO = ConfState.newBuilder().addVoters(1).addVoters(2).build();

  @TempDir Path dir;

  @Test
  void aSnapshotReceivedIntoAFileIsRestoredFromTheLogAndARefusedOneRemoved() throws Exception {
    byte[] data = new byte[300_000];
    new Random(5).nextBytes(data);
    FileLog log = new FileLog(MemoryLog.withVoters(1, 2));
    StreamRecordingMachine machine = new StreamRecordingMachine();
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    DriverListener listener = new DriverListener() {
      @Override
      public void onFatal(Throwable cause) {
        fatal.set(cause);
      }
    };
    RaftDriver driver = new RaftDriver("m2", new RawNode(RaftConfig.defaults(2), log), log,
        messages -> {}, machine, 0, TWO, new DriverConfig(10, 1000, 2, 64), listener);
    try {
      driver.start();
      Path first = received(data);
      driver.stepInBatch(snapshotAt(10, first, data.length));
      driver.endBatch();
      awaitTrue(() -> !machine.restored.isEmpty(), "the snapshot restored");
      assertArrayEquals(data, machine.restored.get(0));
      assertEquals(List.of(), machine.fromSnapshot, "restored from the stream, not a Snapshot");
      assertEquals(10, log.snapshot().getMetadata().getIndex());
      assertFalse(Files.exists(first), "installed by moving it");

      // The same snapshot again: the core already has it, so the file is nobody's.
      Path again = received(data);
      driver.stepInBatch(snapshotAt(10, again, data.length));
      driver.endBatch();
      awaitTrue(() -> !Files.exists(again), "the refused snapshot's file removed");
      assertEquals(1, machine.restored.size());
      assertNull(fatal.get());
    } finally {
      driver.close();
    }
  }

  private Path received(byte[] data) throws IOException {
    Path file = Files.createTempFile(dir, "staging-", ".snap");
    Files.write(file, data);
    return file;
  }

  private static Message snapshotAt(long index, Path file, long bytes) {
    return Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(1).setTo(2).setTerm(2)
        .setSnapshot(Snapshot.newBuilder()
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(2)
                .setConfState(TWO))
            .setDataFile(SnapshotFile.newBuilder().setPath(file.toString())
                .setSizeBytes(bytes)))
        .build();
  }


  /** A MemoryLog that installs a snapshot file as a log that keeps files does: moved in. */
  private static final class FileLog extends DelegatingLog {
    FileLog(MemoryLog log) {
      super(log);
    }

    @Override
    public void applySnapshot(Snapshot snapshot) {
      if (!snapshot.hasDataFile()) {
        log.applySnapshot(snapshot);
        return;
      }
      try {
        Path file = Path.of(snapshot.getDataFile().getPath());
        byte[] data = Files.readAllBytes(file);
        Files.delete(file);
        log.applySnapshot(snapshot.toBuilder().clearDataFile()
            .setData(ByteString.copyFrom(data)).build());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Records what each restore read, and whether it was handed a Snapshot. */
  private static final class StreamRecordingMachine extends InertMachine {
    final List<byte[]> restored = new CopyOnWriteArrayList<>();
    final List<Long> fromSnapshot = new CopyOnWriteArrayList<>();

    @Override
    public void restore(Snapshot snapshot) {
      fromSnapshot.add(snapshot.getMetadata().getIndex());
      restored.add(snapshot.getData().toByteArray());
    }

    @Override
    public void restore(SnapshotInput snapshot) {
      try {
        restored.add(snapshot.data().readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
