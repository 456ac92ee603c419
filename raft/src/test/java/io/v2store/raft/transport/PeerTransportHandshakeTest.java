package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.transport.pb.Frame;
import io.v2store.raft.transport.pb.Hello;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection is served only after a Hello from the same cluster, addressed to this member. */
class PeerTransportHandshakeTest {
  private final List<TestMember> members = new ArrayList<>();
  private final List<String> inboundLog = new CopyOnWriteArrayList<>();
  private final Logger inboundLogger = Logger.getLogger(InboundHandler.class.getName());
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          inboundLog.add(new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  PeerTransportHandshakeTest() {
    inboundLogger.addHandler(capture);
  }

  @AfterEach
  void closeAll() {
    members.forEach(TestMember::close);
    inboundLogger.removeHandler(capture);
  }

  private TestMember member(long clusterId, long id) {
    final TestMember member = new TestMember(clusterId, id, 0, TestMember.FAST_RECONNECT);
    members.add(member);
    return member;
  }

  @Test
  void peerFromAnotherClusterIsRefusedWithAClearLogLine() {
    final TestMember ours = member(0xaaaL, 2);
    final TestMember stranger = member(0xbbbL, 1);
    stranger.knows(ours);
    Awaits.await(
        "the refusal is logged",
        () -> inboundLog.stream().anyMatch(line -> line.contains("cluster id mismatch")));
    final String line =
        inboundLog.stream().filter(l -> l.contains("cluster id mismatch")).findFirst().orElseThrow();
    assertTrue(line.contains("refused"), line);
    assertTrue(line.contains("bbb") && line.contains("aaa"), line);

    assertFalse(stranger.transport.isConnected(2));
    final int before = stranger.unreachable.get();
    stranger.transport.send(List.of(stranger.heartbeatTo(2, 1)));
    assertEquals(before + 1, stranger.unreachable.get());
    assertTrue(ours.received.isEmpty(), "nothing from another cluster is delivered");
  }

  @Test
  void refusalIsSentToTheCallerBeforeClosing() throws IOException {
    final TestMember ours = member(0xaaaL, 2);
    try (Socket socket = new Socket("127.0.0.1", ours.address.getPort())) {
      write(socket, Hello.newBuilder().setClusterId(0xbbbL).setFrom(1).setTo(2).build());
      final Frame answer = read(socket);
      assertEquals(Frame.BodyCase.REFUSED, answer.getBodyCase());
      assertTrue(answer.getRefused().getReason().contains("cluster id mismatch"));
      assertFalse(answer.getRefused().getCallerRemoved(), "a stranger was never a member");
      assertEquals(-1, socket.getInputStream().read(), "the connection is closed");
    }
  }

  @Test
  void callerAddressingAnotherMemberIsRefused() throws IOException {
    final TestMember ours = member(0xaaaL, 2);
    try (Socket socket = new Socket("127.0.0.1", ours.address.getPort())) {
      write(socket, Hello.newBuilder().setClusterId(0xaaaL).setFrom(1).setTo(3).build());
      final Frame answer = read(socket);
      assertEquals(Frame.BodyCase.REFUSED, answer.getBodyCase());
      assertTrue(answer.getRefused().getReason().contains("expected member 3"));
    }
  }

  @Test
  void removedMemberIsRefused() throws IOException {
    final TestMember ours = member(0xaaaL, 2);
    ours.transport.removePeer(1);
    try (Socket socket = new Socket("127.0.0.1", ours.address.getPort())) {
      write(socket, Hello.newBuilder().setClusterId(0xaaaL).setFrom(1).setTo(2).build());
      final Frame answer = read(socket);
      assertTrue(answer.getRefused().getReason().contains("removed"));
      assertTrue(answer.getRefused().getCallerRemoved());
    }
  }

  @Test
  void aRemovedMemberHearsThatItWasRemoved() throws InterruptedException {
    final TestMember ours = member(0xaaaL, 2);
    final TestMember removed = member(0xaaaL, 1);
    ours.transport.removePeer(1);
    removed.knows(ours);
    final Long by = removed.removedBy.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(2L, by, "the refusing peer reports the removal");
    assertTrue(ours.removedBy.isEmpty());
  }

  @Test
  void matchingHelloIsAccepted() throws IOException {
    final TestMember ours = member(0xaaaL, 2);
    try (Socket socket = new Socket("127.0.0.1", ours.address.getPort())) {
      write(socket, Hello.newBuilder().setClusterId(0xaaaL).setFrom(1).setTo(2).build());
      final Frame answer = read(socket);
      assertEquals(Frame.BodyCase.ACCEPTED, answer.getBodyCase());
      assertEquals(2, answer.getAccepted().getMemberId());
    }
  }

  @Test
  void messagesNotFromTheGreetedPeerOrNotForUsAreDropped() throws IOException, InterruptedException {
    final TestMember ours = member(0xaaaL, 2);
    try (Socket socket = new Socket("127.0.0.1", ours.address.getPort())) {
      write(socket, Hello.newBuilder().setClusterId(0xaaaL).setFrom(1).setTo(2).build());
      assertEquals(Frame.BodyCase.ACCEPTED, read(socket).getBodyCase());
      write(socket, heartbeat(3, 2, 1));
      write(socket, heartbeat(1, 4, 2));
      write(socket, heartbeat(1, 2, 3));
      // Frames are handled in order, so had either impostor been delivered it would come first.
      final Message delivered = ours.take();
      assertEquals(3, delivered.getTerm());
      assertTrue(ours.received.isEmpty());
    }
  }

  private static Frame heartbeat(long from, long to, long term) {
    return Frame.newBuilder()
        .setMessage(
            Message.newBuilder()
                .setType(MessageType.MSG_HEARTBEAT)
                .setFrom(from)
                .setTo(to)
                .setTerm(term))
        .build();
  }

  private static void write(Socket socket, Hello hello) throws IOException {
    write(socket, Frame.newBuilder().setHello(hello).build());
  }

  private static void write(Socket socket, Frame message) throws IOException {
    final byte[] frame = message.toByteArray();
    final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.writeInt(frame.length);
    out.write(frame);
    out.flush();
  }

  private static Frame read(Socket socket) throws IOException {
    socket.setSoTimeout((int) Awaits.DEADLINE.toMillis());
    final DataInputStream in = new DataInputStream(socket.getInputStream());
    final byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return Frame.parseFrom(frame);
  }
}
