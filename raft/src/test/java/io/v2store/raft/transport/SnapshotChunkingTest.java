package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.v2store.raft.SnapshotSink;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotFile;
import io.v2store.raft.pb.SnapshotMetadata;
import io.v2store.raft.transport.pb.Frame;
import io.v2store.raft.transport.pb.Hello;
import io.v2store.raft.transport.pb.SnapshotChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * A snapshot whose data is a file (a leader's over 2 GiB) is sent as chunks read from the
   * file, and received into a file of the receiver's: the message delivered names that file.
   */
  @Test
  void aSnapshotFileGoesAsChunksReadFromItIntoAFileOfTheReceivers(@TempDir Path dir)
      throws Exception {
    final byte[] data = new byte[10_000];
    new Random(9).nextBytes(data);
    final Path sent = dir.resolve("snapshot-leader.snap");
    Files.write(sent, data);
    final Message snap = fileSnapshot(sent, data.length);
    final Path received = Files.createDirectory(dir.resolve("follower"));
    final SnapshotAssembler assembler = new SnapshotAssembler(1 << 20, new FileSink(received));
    final SnapshotFileChunks chunks = new SnapshotFileChunks(snap, 700);
    Message whole = null;
    int frames = 0;
    while (!chunks.isEndOfInput()) {
      final Frame frame = chunks.readChunk(ByteBufAllocator.DEFAULT);
      frames++;
      assertTrue(frame.getSnapshotChunk().getData().size() <= 700);
      assertFalse(frame.getSnapshotChunk().getHeader().getSnapshot().hasDataFile(),
          "a file of the sender's named to the receiver");
      whole = assembler.accept(frame.getSnapshotChunk());
    }
    chunks.close();
    assertEquals((data.length + 699) / 700, frames);
    assertNotNull(whole);
    final SnapshotFile file = whole.getSnapshot().getDataFile();
    assertEquals(received, Path.of(file.getPath()).getParent());
    assertArrayEquals(data, Files.readAllBytes(Path.of(file.getPath())));
    assertEquals(data.length, file.getSizeBytes());
    assertEquals(ByteString.EMPTY, whole.getSnapshot().getData());
    assertEquals(snap.getSnapshot().getMetadata(), whole.getSnapshot().getMetadata());
    assertEquals(snap.getTerm(), whole.getTerm());
  }

  @Test
  void aSnapshotCutOffMidwayLeavesNoFile(@TempDir Path dir) throws Exception {
    final Path sent = dir.resolve("snapshot-leader.snap");
    Files.write(sent, new byte[5_000]);
    final Path received = Files.createDirectory(dir.resolve("follower"));
    final SnapshotAssembler assembler = new SnapshotAssembler(1 << 20, new FileSink(received));
    final SnapshotFileChunks chunks = new SnapshotFileChunks(fileSnapshot(sent, 5_000), 1_000);
    assertNull(assembler.accept(chunks.readChunk(ByteBufAllocator.DEFAULT).getSnapshotChunk()));
    assertNull(assembler.accept(chunks.readChunk(ByteBufAllocator.DEFAULT).getSnapshotChunk()));
    chunks.close();
    try (var files = Files.list(received)) {
      assertEquals(1, files.count());
    }
    assembler.abort(); // the connection closed
    try (var files = Files.list(received)) {
      assertEquals(0, files.count());
    }
  }

  /**
   * In memory, the bound is also what one ByteString holds; into a file, a member takes by
   * default a snapshot as large as a leader's key space can grow (here 5 GiB).
   */
  @Test
  void aSnapshotOver2GiBIsRefusedInMemoryButNotIntoAFile(@TempDir Path dir) {
    final long bound = TransportConfig.defaults().maxSnapshotBytes();
    final SnapshotChunk header = SnapshotChunk.newBuilder()
        .setHeader(snapshot(0, 1)).setOffset(0).setTotalBytes(5L << 30).build();
    assertThrows(IllegalStateException.class, () -> new SnapshotAssembler(bound).accept(header));
    final SnapshotAssembler intoAFile = new SnapshotAssembler(bound, new FileSink(dir));
    assertNull(intoAFile.accept(header));
    intoAFile.abort();
  }

  /**
   * A peer's message never names a file of ours (only what arrives in chunks is written to one),
   * and a snapshot cut off by the connection's close leaves no file behind.
   */
  @Test
  void aPeerNamesNoFileOfOursAndACutOffSnapshotsFileGoes(@TempDir Path dir) throws Exception {
    final Path ours = dir.resolve("ours.snap");
    Files.write(ours, new byte[100]);
    final List<Message> delivered = new ArrayList<>();
    final Path received = Files.createDirectory(dir.resolve("received"));
    final EmbeddedChannel channel = new EmbeddedChannel(new InboundHandler(7, 2, Set.of(),
        delivered::add, () -> {}, 1 << 20, new FileSink(received), () -> new byte[0]));
    channel.writeInbound(Frame.newBuilder()
        .setHello(Hello.newBuilder().setClusterId(7).setFrom(1).setTo(2)).build());
    channel.writeInbound(Frame.newBuilder().setMessage(fileSnapshot(ours, 100)).build());
    assertEquals(List.of(), delivered);
    assertTrue(Files.exists(ours));

    final Path sent = dir.resolve("snapshot-leader.snap");
    Files.write(sent, new byte[5_000]);
    final SnapshotFileChunks chunks = new SnapshotFileChunks(fileSnapshot(sent, 5_000), 1_000);
    channel.writeInbound(chunks.readChunk(ByteBufAllocator.DEFAULT));
    chunks.close();
    try (var files = Files.list(received)) {
      assertEquals(1, files.count());
    }
    channel.close();
    try (var files = Files.list(received)) {
      assertEquals(0, files.count());
    }
    assertEquals(List.of(), delivered);
  }

  /**
   * A snapshot in memory goes out as the connection takes it, as one from a file does: the
   * leader encodes a chunk only when the connection has room for it. Encoded all at once, every
   * send put the whole snapshot in direct buffers; a follower that cannot take it (no room on its
   * disk) hangs up at the first chunk and is sent it again at the next heartbeat, so the leader's
   * event loop copied hundreds of MB several times a second, its writes stalled for seconds and
   * it lost its leadership. Here the peer reads nothing until the end.
   */
  @Test
  void aSnapshotInMemoryIsEncodedOnlyAsTheConnectionTakesIt() {
    final Message snap = snapshot(100_000, 11);
    final boolean[] reading = {false};
    final EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setWriteBufferWaterMark(
        new io.netty.channel.WriteBufferWaterMark(2_000, 4_000));
    channel.pipeline().addLast(new io.netty.channel.ChannelOutboundHandlerAdapter() {
      @Override
      public void flush(io.netty.channel.ChannelHandlerContext ctx) {
        if (reading[0]) ctx.flush(); // until then the peer reads nothing
      }
    });
    channel.pipeline().addLast("frameEncoder", new FrameEncoder());
    channel.pipeline().addLast("messageFramer", new MessageFramer(1_000));
    final io.netty.channel.ChannelFuture sent = channel.writeAndFlush(snap);
    final long pending = channel.unsafe().outboundBuffer().totalPendingWriteBytes();
    assertTrue(pending < 10_000, pending + " bytes encoded before the peer read any");
    assertFalse(sent.isDone());

    reading[0] = true;
    channel.flush();
    channel.runPendingTasks();
    final SnapshotAssembler assembler = new SnapshotAssembler(1 << 20);
    final FrameDecoderHarness frames = new FrameDecoderHarness();
    Message whole = null;
    for (Object out; (out = channel.readOutbound()) != null; ) {
      for (Frame frame : frames.decode((io.netty.buffer.ByteBuf) out)) {
        whole = assembler.accept(frame.getSnapshotChunk());
      }
    }
    assertTrue(sent.isSuccess());
    assertEquals(snap, whole);
    channel.finishAndReleaseAll();
  }

  /** Decodes the frames a pipeline wrote, as the receiving end's FrameDecoder does. */
  private static final class FrameDecoderHarness {
    private final EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(1 << 20));

    List<Frame> decode(io.netty.buffer.ByteBuf bytes) {
      in.writeInbound(bytes);
      final List<Frame> frames = new ArrayList<>();
      for (Object f; (f = in.readInbound()) != null; ) frames.add((Frame) f);
      return frames;
    }
  }

  /**
   * A snapshot the member cannot take (no room on its disk, or the disk filled up midway) closes
   * the connection, whose log line shows the exception's toString: it must say why, not only
   * that, or an operator sees the same refusal every few hundred ms with no reason.
   */
  @Test
  void aSnapshotThatCannotBeReceivedSaysWhy(@TempDir Path dir) throws Exception {
    final SnapshotChunk header = SnapshotChunk.newBuilder()
        .setHeader(snapshot(0, 1)).setOffset(0).setTotalBytes(5_000).build();
    final SnapshotAssembler noRoom = new SnapshotAssembler(1 << 20, sizeBytes -> {
      throw new java.io.IOException("no room in " + dir + " for a snapshot of 5000 bytes");
    });
    final java.io.UncheckedIOException refused =
        assertThrows(java.io.UncheckedIOException.class, () -> noRoom.accept(header));
    assertTrue(refused.toString().contains("no room in " + dir), refused.toString());

    final SnapshotAssembler diskFull = new SnapshotAssembler(1 << 20, sizeBytes -> {
      final SnapshotSink.Receiving file = new FileSink(dir).open(sizeBytes);
      return new SnapshotSink.Receiving() {
        @Override
        public void write(ByteString chunk) throws java.io.IOException {
          throw new java.io.IOException("No space left on device");
        }

        @Override
        public SnapshotFile finish() throws java.io.IOException {
          return file.finish();
        }

        @Override
        public void abort() {
          file.abort();
        }
      };
    });
    final java.io.UncheckedIOException cut = assertThrows(java.io.UncheckedIOException.class,
        () -> diskFull.accept(header.toBuilder().setData(ByteString.copyFrom(new byte[100]))
            .build()));
    assertTrue(cut.toString().contains("No space left on device"), cut.toString());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aSnapshotFileWithNoDataStillSendsItsHeader(@TempDir Path dir) throws Exception {
    final Path empty = Files.createFile(dir.resolve("empty.snap"));
    final SnapshotFileChunks chunks = new SnapshotFileChunks(fileSnapshot(empty, 0), 100);
    final Frame only = chunks.readChunk(ByteBufAllocator.DEFAULT);
    assertTrue(chunks.isEndOfInput());
    chunks.close();
    final Message whole = new SnapshotAssembler(1 << 20).accept(only.getSnapshotChunk());
    assertEquals(10, whole.getSnapshot().getMetadata().getIndex());
  }

  /**
   * A snapshot that fails after some of its chunks went out (its file cut short, a disk error)
   * closes the connection: the peer holds its first part, in a file of its own, and no frame tells
   * it to drop that. Left open, the part stayed on the peer's disk until the next snapshot on the
   * connection, which the peer then refused as a protocol error (one began before the last ended).
   */
  @Test
  void aSnapshotCutOffAfterItsFirstChunksClosesTheConnection(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("cut.snap");
    Files.write(file, new byte[5_000]);
    final boolean[] reading = {false};
    final EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast(new io.netty.channel.ChannelOutboundHandlerAdapter() {
      @Override
      public void flush(io.netty.channel.ChannelHandlerContext ctx) {
        if (reading[0]) ctx.flush(); // until then the first chunk is not on the socket
      }
    });
    channel.pipeline().addLast("frameEncoder", new FrameEncoder());
    channel.pipeline().addLast("messageFramer", new MessageFramer(1_000));
    final io.netty.channel.ChannelFuture sent = channel.writeAndFlush(fileSnapshot(file, 5_000));
    assertFalse(sent.isDone());
    try (var cut = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.WRITE)) {
      cut.truncate(1_500); // the second chunk cannot be read whole
    }

    reading[0] = true;
    channel.flush();
    channel.runPendingTasks();
    assertTrue(sent.isDone() && !sent.isSuccess(), "the snapshot failed");
    assertFalse(channel.isOpen(), "the peer was told to drop the part it has");
    channel.finishAndReleaseAll();
  }

  /** A snapshot that cannot even begin leaves the connection as it was. */
  @Test
  void aSnapshotThatFailsBeforeItsFirstChunkKeepsTheConnection(@TempDir Path dir) {
    final EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast("frameEncoder", new FrameEncoder());
    channel.pipeline().addLast("messageFramer", new MessageFramer(1_000));
    final io.netty.channel.ChannelFuture sent =
        channel.writeAndFlush(fileSnapshot(dir.resolve("gone.snap"), 5_000));
    assertTrue(sent.isDone() && !sent.isSuccess(), "the snapshot failed");
    assertTrue(channel.isOpen());
    channel.finishAndReleaseAll();
  }

  private static Message fileSnapshot(Path file, long bytes) {
    return Message.newBuilder()
        .setType(MessageType.MSG_SNAP)
        .setFrom(1)
        .setTo(2)
        .setTerm(3)
        .setSnapshot(
            Snapshot.newBuilder()
                .setDataFile(SnapshotFile.newBuilder().setPath(file.toString()).setSizeBytes(bytes))
                .setMetadata(SnapshotMetadata.newBuilder().setIndex(10).setTerm(2)))
        .build();
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
