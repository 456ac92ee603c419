package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A dial that cannot even make a socket (the process is out of file descriptors for a moment) is
 * tried again after the back-off, as a refused one is. Before, Netty's stand-in for the socket
 * that never was stayed the connection in use: no close ever came for it, so no later dial was
 * made, and the peer stayed unreachable until this member restarted.
 */
class PeerDialFailureTest {

  @Test
  void aDialThatCannotMakeASocketIsTriedAgain() throws Exception {
    final EventLoopGroup group = NettyIo.group(1);
    try (TestMember peer = new TestMember(0xaaaL, 2, 0, TestMember.FAST_RECONNECT)) {
      final AtomicInteger attempts = new AtomicInteger();
      final Bootstrap bootstrap = firstSocketFails(group, attempts);
      final PeerConnection connection = new PeerConnection(0xaaaL, 1, 2,
          List.of(new PeerConnection.Address(peer.address, null, null)), bootstrap,
          TestMember.FAST_RECONNECT, PeerEvents.of(id -> {}));
      try {
        connection.connect();
        Awaits.await("connected after the failed dial", connection::isConnected);
        assertTrue(attempts.get() >= 2, "dialled again: " + attempts.get());
        connection.send(Message.newBuilder().setType(MessageType.MSG_HEARTBEAT).setFrom(1).setTo(2)
            .setTerm(1).build());
        final Message received = peer.received.poll(10, TimeUnit.SECONDS);
        assertTrue(received != null && received.getType() == MessageType.MSG_HEARTBEAT,
            "the peer got our heartbeat: " + received);
      } finally {
        connection.close();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  /**
   * New URLs while a dial that made no socket waits out its back-off are dialled at once, and a
   * connection closed meanwhile dials nothing more.
   */
  @Test
  void newUrlsDuringTheBackOffAfterNoSocketAreDialledAtOnce() throws Exception {
    final EventLoopGroup group = NettyIo.group(1);
    // A back-off far longer than the test: only the new URLs can explain a connection.
    final TransportConfig slowRetry =
        new TransportConfig(64, 4 << 20, 256 << 10, 1 << 20, 64L << 20, 60_000, 60_000, 1_000);
    try (TestMember peer = new TestMember(0xaaaL, 2, 0, TestMember.FAST_RECONNECT)) {
      final AtomicInteger attempts = new AtomicInteger();
      final Bootstrap bootstrap = firstSocketFails(group, attempts);
      final List<PeerConnection.Address> at =
          List.of(new PeerConnection.Address(peer.address, null, null));
      final PeerConnection connection =
          new PeerConnection(0xaaaL, 1, 2, at, bootstrap, slowRetry, PeerEvents.of(id -> {}));
      try {
        connection.connect();
        assertEquals(1, attempts.get());
        connection.retarget(at);
        Awaits.await("connected at the new URLs", connection::isConnected);
        assertEquals(2, attempts.get());
      } finally {
        connection.close();
      }

      final AtomicInteger later = new AtomicInteger();
      final Bootstrap failing = new Bootstrap().group(group).channelFactory(() -> {
        later.incrementAndGet();
        throw new ChannelException("Too many open files");
      });
      final PeerConnection closed = new PeerConnection(0xaaaL, 1, 2, at, failing,
          TestMember.FAST_RECONNECT, PeerEvents.of(id -> {}));
      closed.connect();
      closed.close();
      Thread.sleep(300); // several back-offs of FAST_RECONNECT
      assertEquals(1, later.get(), "no dial after close");
      closed.retarget(at);
      assertEquals(1, later.get(), "nor after new URLs once closed");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  /** Dials whose first socket cannot be made (out of file descriptors); attempts counts them. */
  private static Bootstrap firstSocketFails(EventLoopGroup group, AtomicInteger attempts) {
    final Class<? extends SocketChannel> real = NettyIo.channel();
    return new Bootstrap().group(group).channelFactory(() -> {
      if (attempts.incrementAndGet() == 1) {
        throw new ChannelException("Too many open files");
      }
      try {
        return real.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new ChannelException(e);
      }
    });
  }
}
