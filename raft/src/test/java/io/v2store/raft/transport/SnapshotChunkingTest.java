package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import io.v2store.raft.transport.pb.Frame;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SnapshotChunkingTest {

  @Property(tries = 50)
  void chunksReassembleToTheSameMessage(
      @ForAll @IntRange(min = 0, max = 5000) int dataBytes,
      @ForAll @IntRange(min = 1, max = 700) int chunkBytes) {
    final Message snap = snapshot(dataBytes, dataBytes);
    final List<Frame> frames = MessageFramer.frames(snap, chunkBytes);
    if (dataBytes <= chunkBytes) {
      assertEquals(List.of(Frame.newBuilder().setMessage(snap).build()), frames);
      return;
    }
    assertEquals((dataBytes + chunkBytes - 1) / chunkBytes, frames.size());
    final SnapshotAssembler assembler = new SnapshotAssembler(1 << 20);
    for (int i = 0; i < frames.size() - 1; i++) {
      assertTrue(frames.get(i).getSnapshotChunk().getData().size() <= chunkBytes);
      assertNull(assembler.accept(frames.get(i).getSnapshotChunk()));
    }
    assertEquals(snap, assembler.accept(frames.get(frames.size() - 1).getSnapshotChunk()));
  }

  @Test
  void otherMessagesAreOneFrame() {
    final Message app =
        Message.newBuilder()
            .setType(MessageType.MSG_APP)
            .setContext(ByteString.copyFrom(new byte[10_000]))
            .build();
    assertEquals(1, MessageFramer.frames(app, 100).size());
  }

  @Test
  void missingChunkIsAProtocolError() {
    final List<Frame> frames = MessageFramer.frames(snapshot(1000, 1), 100);
    final SnapshotAssembler assembler = new SnapshotAssembler(1 << 20);
    assembler.accept(frames.get(0).getSnapshotChunk());
    assertThrows(IllegalStateException.class, () -> assembler.accept(frames.get(2).getSnapshotChunk()));
  }

  @Test
  void chunkWithoutAHeaderIsAProtocolError() {
    final List<Frame> frames = MessageFramer.frames(snapshot(1000, 1), 100);
    assertThrows(
        IllegalStateException.class,
        () -> new SnapshotAssembler(1 << 20).accept(frames.get(1).getSnapshotChunk()));
  }

  @Test
  void snapshotOverTheBoundIsRefused() {
    final List<Frame> frames = MessageFramer.frames(snapshot(1000, 1), 100);
    assertThrows(
        IllegalStateException.class,
        () -> new SnapshotAssembler(999).accept(frames.get(0).getSnapshotChunk()));
  }

  private static Message snapshot(int dataBytes, long seed) {
    final byte[] data = new byte[dataBytes];
    new Random(seed).nextBytes(data);
    return Message.newBuilder()
        .setType(MessageType.MSG_SNAP)
        .setFrom(1)
        .setTo(2)
        .setTerm(3)
        .setSnapshot(
            Snapshot.newBuilder()
                .setData(ByteString.copyFrom(data))
                .setMetadata(SnapshotMetadata.newBuilder().setIndex(10).setTerm(2)))
        .build();
  }
}
