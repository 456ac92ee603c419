package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotFile;
import io.v2store.raft.pb.SnapshotMetadata;
import io.v2store.testkit.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerTransportDeliveryTest {
  private static final long CLUSTER = 0xc1a5L;
  private final List<TestMember> members = new ArrayList<>();

  @AfterEach
  void closeAll() {
    members.forEach(TestMember::close);
  }

  private TestMember member(long id, int port) {
    final TestMember member = new TestMember(CLUSTER, id, port, TestMember.FAST_RECONNECT);
    members.add(member);
    return member;
  }

  @Test
  void everyMemberReachesEveryOther() throws InterruptedException {
    final List<TestMember> three = List.of(member(1, 0), member(2, 0), member(3, 0));
    for (TestMember a : three) {
      for (TestMember b : three) {
        if (a != b) {
          a.knows(b);
        }
      }
    }
    for (TestMember a : three) {
      for (TestMember b : three) {
        if (a != b) {
          Awaits.await(a.id + " connected to " + b.id, () -> a.transport.isConnected(b.id));
          a.transport.send(List.of(a.heartbeatTo(b.id, 7)));
        }
      }
    }
    for (TestMember b : three) {
      final Set<Long> senders = new HashSet<>();
      senders.add(b.take().getFrom());
      senders.add(b.take().getFrom());
      final Set<Long> expected = new HashSet<>(Set.of(1L, 2L, 3L));
      expected.remove(b.id);
      assertEquals(expected, senders);
    }
  }

  @Test
  void messagesArriveInOrderWithTheirEntries() throws InterruptedException {
    final TestMember a = member(1, 0);
    final TestMember b = member(2, 0);
    a.knows(b);
    Awaits.await("connected", () -> a.transport.isConnected(2));
    final List<Message> sent = new ArrayList<>();
    // Within the queue bound of 64, so none may be dropped.
    for (int i = 1; i <= 50; i++) {
      sent.add(
          Message.newBuilder()
              .setType(MessageType.MSG_APP)
              .setFrom(1)
              .setTo(2)
              .setIndex(i)
              .addEntries(
                  Entry.newBuilder().setIndex(i + 1).setTerm(3).setData(ByteString.copyFromUtf8("v" + i)))
              .build());
    }
    a.transport.send(sent);
    for (Message expected : sent) {
      assertEquals(expected, b.take());
    }
    assertEquals(0, a.unreachable.get());
  }

  @Test
  void largeSnapshotArrivesWhole() throws InterruptedException {
    final TestMember a = member(1, 0);
    final TestMember b = member(2, 0);
    a.knows(b);
    Awaits.await("connected", () -> a.transport.isConnected(2));
    final byte[] data = new byte[3 * (256 << 10) + 12345];
    new Random(42).nextBytes(data);
    final Message snap =
        Message.newBuilder()
            .setType(MessageType.MSG_SNAP)
            .setFrom(1)
            .setTo(2)
            .setTerm(5)
            .setSnapshot(
                Snapshot.newBuilder()
                    .setData(ByteString.copyFrom(data))
                    .setMetadata(
                        SnapshotMetadata.newBuilder()
                            .setIndex(900)
                            .setTerm(4)
                            .setConfState(ConfState.newBuilder().addVoters(1).addVoters(2))))
            .build();
    a.transport.send(List.of(snap, a.heartbeatTo(2, 5)));
    // The heartbeat may go between the snapshot's chunks (SnapshotPacer): both arrive whole.
    final List<Message> got = List.of(b.take(), b.take());
    assertEquals(snap, got.stream().filter(m -> m.getType() == MessageType.MSG_SNAP)
        .findFirst().orElseThrow());
    assertEquals(a.heartbeatTo(2, 5), got.stream()
        .filter(m -> m.getType() == MessageType.MSG_HEARTBEAT).findFirst().orElseThrow());
    assertEquals(0, a.snapshotFailures.get());
  }

  /**
   * A leader's snapshot file (one over 2 GiB is sent so) crosses as chunks read from the file,
   * between which the next message may go, into a file of the receiver's.
   */
  @Test
  void aSnapshotFileArrivesWholeInAFileOfTheReceivers(@TempDir Path dir) throws Exception {
    final TestMember a = member(1, 0);
    final TestMember b = member(2, 0);
    final Path received = Files.createDirectory(dir.resolve("b"));
    b.transport.setSnapshotSink(new FileSink(received));
    a.knows(b);
    Awaits.await("connected", () -> a.transport.isConnected(2));
    final byte[] data = new byte[3 * (256 << 10) + 12345];
    new Random(43).nextBytes(data);
    final Path file = dir.resolve("snapshot-a.snap");
    Files.write(file, data);
    final SnapshotMetadata metadata = SnapshotMetadata.newBuilder().setIndex(900).setTerm(4)
        .setConfState(ConfState.newBuilder().addVoters(1).addVoters(2)).build();
    final Message snap = Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(1).setTo(2)
        .setTerm(5)
        .setSnapshot(Snapshot.newBuilder().setMetadata(metadata)
            .setDataFile(SnapshotFile.newBuilder().setPath(file.toString())
                .setSizeBytes(data.length)))
        .build();
    a.transport.send(List.of(snap, a.heartbeatTo(2, 5)));
    // The heartbeat may go between the snapshot's chunks (SnapshotPacer): both arrive whole.
    final Message first = b.take();
    final Message second = b.take();
    final Message got = first.getType() == MessageType.MSG_SNAP ? first : second;
    assertEquals(MessageType.MSG_HEARTBEAT, (got == first ? second : first).getType());
    assertEquals(MessageType.MSG_SNAP, got.getType());
    assertEquals(metadata, got.getSnapshot().getMetadata());
    final Path arrived = Path.of(got.getSnapshot().getDataFile().getPath());
    assertEquals(received, arrived.getParent());
    assertArrayEquals(data, Files.readAllBytes(arrived));
    Awaits.await("sent", () -> a.snapshotFailures.get() == 0 && a.unreachable.get() == 0);
  }

  @Test
  void aSnapshotFileGoneBeforeItIsSentIsReportedFailed(@TempDir Path dir) throws Exception {
    final TestMember a = member(1, 0);
    final TestMember b = member(2, 0);
    a.knows(b);
    Awaits.await("connected", () -> a.transport.isConnected(2));
    final Message snap = Message.newBuilder().setType(MessageType.MSG_SNAP).setFrom(1).setTo(2)
        .setTerm(5)
        .setSnapshot(Snapshot.newBuilder()
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(900).setTerm(4))
            .setDataFile(SnapshotFile.newBuilder()
                .setPath(dir.resolve("replaced-meanwhile.snap").toString()).setSizeBytes(5)))
        .build();
    a.transport.send(List.of(snap));
    Awaits.await("the send reported failed", () -> a.snapshotFailures.get() == 1);
    a.transport.send(List.of(a.heartbeatTo(2, 5)));
    assertEquals(MessageType.MSG_HEARTBEAT, b.take().getType());
  }

  @Test
  void reconnectsAfterThePeerRestarts() throws InterruptedException {
    final TestMember a = member(1, 0);
    final TestMember b = member(2, 0);
    final int port = b.address.getPort();
    a.knows(b);
    Awaits.await("connected", () -> a.transport.isConnected(2));
    a.transport.send(List.of(a.heartbeatTo(2, 1)));
    assertEquals(1, b.take().getTerm());

    b.close();
    Awaits.await("disconnect noticed", () -> !a.transport.isConnected(2));
    final int before = a.unreachable.get();
    a.transport.send(List.of(a.heartbeatTo(2, 2)));
    assertTrue(a.unreachable.get() > before, "a send while disconnected is reported");

    final TestMember restarted = member(2, port);
    Awaits.await("reconnected", () -> a.transport.isConnected(2));
    a.transport.send(List.of(a.heartbeatTo(2, 3)));
    assertEquals(3, restarted.take().getTerm());
  }

  /**
   * A proposal forwarded to the leader before the connection to it is up (a member that has just
   * started hears the leader on the leader's connection first) is held and sent once it is: the
   * raft core never sends a proposal again, and dropped, the write waited out its whole request
   * timeout. Other messages are dropped and reported as before: raft sends them again.
   */
  @Test
  void aProposalSentBeforeTheConnectionIsUpArrivesOnceItIs() throws Exception {
    final TestMember a = member(1, 0);
    final int port = LoopbackPorts.next();
    a.transport.addPeer(2, List.of(URI.create("http://127.0.0.1:" + port)));
    final Message proposal = Message.newBuilder().setType(MessageType.MSG_PROP).setFrom(1)
        .setTo(2).addEntries(Entry.newBuilder().setData(ByteString.copyFromUtf8("publish")))
        .build();
    final int before = a.unreachable.get();
    a.transport.send(List.of(proposal));
    assertEquals(before, a.unreachable.get(), "a held proposal is not reported unreachable");
    a.transport.send(List.of(a.heartbeatTo(2, 1)));
    assertTrue(a.unreachable.get() > before, "a heartbeat is dropped and reported, as before");

    final TestMember b = member(2, port);
    final Message got = b.take();
    assertEquals(MessageType.MSG_PROP, got.getType());
    assertEquals("publish", got.getEntries(0).getData().toStringUtf8());
    a.transport.send(List.of(a.heartbeatTo(2, 2)));
    assertEquals(2, b.take().getTerm(), "the heartbeat before the connection was not sent");
  }

  /**
   * `etcdctl member update` is committed while the member still listens where it did: it moves
   * when it restarts. Dropping the working connection to dial the new URL left the leader unable
   * to reach the member (elections, the member unhealthy) until it restarted; etcd keeps its
   * streams and uses the new URLs for the next dial, and so do we.
   */
  @Test
  void newUrlsKeepTheWorkingConnectionAndAreDialledOnceThePeerMoves() throws Exception {
    final TestMember a = member(1, 0);
    final TestMember b = member(2, 0);
    a.knows(b);
    Awaits.await("connected", () -> a.transport.isConnected(2));
    final int newPort = LoopbackPorts.next();
    a.transport.addPeer(2, List.of(URI.create("http://127.0.0.1:" + newPort)));
    assertTrue(a.transport.isConnected(2), "the connection to the old URL is kept");
    final int before = a.unreachable.get();
    a.transport.send(List.of(a.heartbeatTo(2, 1)));
    assertEquals(1, b.take().getTerm());
    assertEquals(before, a.unreachable.get(), "nothing was reported unreachable");

    b.close();
    final TestMember moved = member(2, newPort);
    Awaits.await("reconnected at the new URL", () -> a.transport.isConnected(2));
    a.transport.send(List.of(a.heartbeatTo(2, 2)));
    assertEquals(2, moved.take().getTerm());
  }

  /** URLs corrected while the peer is unreachable at the old ones are dialled without waiting. */
  @Test
  void newUrlsForAnUnreachablePeerAreDialledAtOnce() throws Exception {
    final TestMember a = new TestMember(CLUSTER, 1, 0,
        new TransportConfig(64, 4 << 20, 256 << 10, 1 << 20, 64L << 20, 60_000, 60_000, 1_000));
    members.add(a);
    final TestMember b = member(2, 0);
    final int deadPort = LoopbackPorts.next();
    a.transport.addPeer(2, List.of(URI.create("http://127.0.0.1:" + deadPort)));
    // whether the first dial is still under way or failed and waits out its minute, the
    // corrected URL is dialled now
    a.knows(b);
    Awaits.await("connected at the corrected URL", () -> a.transport.isConnected(2));
  }

  /**
   * A client write becomes one entry, and an AppendEntries always carries at least one: with
   * --max-request-bytes raised (the way to store values over 1.5 MiB), an entry of 9 MiB must
   * cross the peer link. Refused as too long a frame, the follower dropped the connection at each
   * retry and the leader replicated nothing after that entry, ever.
   */
  @Test
  void anAppendCarryingOneLargeEntryArrivesWithTheDefaultLimits() throws InterruptedException {
    final TestMember a = new TestMember(CLUSTER, 1, 0, TransportConfig.defaults());
    final TestMember b = new TestMember(CLUSTER, 2, 0, TransportConfig.defaults());
    members.add(a);
    members.add(b);
    a.knows(b);
    Awaits.await("connected", () -> a.transport.isConnected(2));
    final Message append =
        Message.newBuilder()
            .setType(MessageType.MSG_APP)
            .setFrom(1)
            .setTo(2)
            .setTerm(2)
            .setIndex(7)
            .setLogTerm(2)
            .addEntries(
                Entry.newBuilder().setIndex(8).setTerm(2)
                    .setData(ByteString.copyFrom(new byte[9 << 20])))
            .build();
    a.transport.send(List.of(append));
    assertEquals(append, b.take());
  }
}
