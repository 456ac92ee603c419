package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.v2store.raft.pb.Message;
import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Whoever can reach the peer port cannot take every file descriptor of the member (the Raft log
 * needs new files as it is written, or the member stops): past its budget the peer port accepts
 * no more connections, which wait in the backlog until one closes. Out of descriptors all the
 * same, it pauses a second per accept error, with one line.
 */
class PeerConnectionBudgetTest {

  @Test
  void peersPastTheBudgetWaitUntilAConnectionCloses() throws Exception {
    int port = LoopbackPorts.next();
    BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    PeerTransport listener = new PeerTransport(0xaaaL, 2,
        List.of(new InetSocketAddress("127.0.0.1", port)),
        received::add, PeerEvents.of(id -> { }), TestMember.FAST_RECONNECT, PeerTls.none());
    listener.limitConnections(2);
    List<Socket> held = new ArrayList<>();
    try (TestMember sender = new TestMember(0xaaaL, 1, 0, TestMember.FAST_RECONNECT)) {
      listener.start();
      for (int i = 0; i < 2; i++) held.add(new Socket("127.0.0.1", port));
      Thread.sleep(200); // both accepted
      sender.transport.addPeer(2, List.of(URI.create("http://127.0.0.1:" + port)));
      for (int i = 0; i < 6; i++) { // sent again and again: one sent before connecting is dropped
        sender.transport.send(List.of(sender.heartbeatTo(2, 7)));
        assertNull(received.poll(500, TimeUnit.MILLISECONDS), "delivered past the budget");
      }
      held.remove(0).close();
      Message delivered = null;
      for (int i = 0; i < 60 && delivered == null; i++) {
        sender.transport.send(List.of(sender.heartbeatTo(2, 7)));
        delivered = received.poll(500, TimeUnit.MILLISECONDS);
      }
      assertNotNull(delivered, "delivered once a connection closed");
    } finally {
      for (Socket s : held) s.close();
      listener.close();
    }
  }

  @Test
  void anAcceptErrorPausesThePeerPortForASecond() {
    EmbeddedChannel port = new EmbeddedChannel(new AcceptErrors("peer port "));
    port.freezeTime();
    port.pipeline().fireExceptionCaught(
        new IOException("accept(..) failed with error(-24): Too many open files"));
    port.checkException(); // handled, not left at the tail
    assertFalse(port.config().isAutoRead(), "paused");
    port.advanceTimeBy(AcceptErrors.PAUSE_MILLIS - 1, TimeUnit.MILLISECONDS);
    port.runScheduledPendingTasks();
    assertFalse(port.config().isAutoRead(), "still paused");
    port.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    port.runScheduledPendingTasks();
    assertTrue(port.config().isAutoRead(), "accepting again");
    port.finishAndReleaseAll();
  }
}
