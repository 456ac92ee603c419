package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.v2store.raft.pb.Message;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A member with several --listen-peer-urls is reachable on each, as etcd's is. */
class PeerTransportListenTest {

  @Test
  void peersReachEveryListenAddress() throws Exception {
    int first;
    int second;
    try (ServerSocket a = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ServerSocket b = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      first = a.getLocalPort();
      second = b.getLocalPort();
    }
    BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    PeerTransport listener = new PeerTransport(0xaaaL, 2,
        List.of(new InetSocketAddress("127.0.0.1", first), new InetSocketAddress("127.0.0.1", second)),
        received::add, PeerEvents.of(id -> { }), TestMember.FAST_RECONNECT, PeerTls.none());
    try (TestMember sender = new TestMember(0xaaaL, 1, 0, TestMember.FAST_RECONNECT)) {
      listener.start();
      for (int port : List.of(first, second)) {
        sender.transport.addPeer(2, List.of(URI.create("http://127.0.0.1:" + port)));
        Awaits.await("connected to port " + port, () -> sender.transport.isConnected(2));
        sender.transport.send(List.of(sender.heartbeatTo(2, port)));
        Message delivered = received.poll(30, TimeUnit.SECONDS);
        assertNotNull(delivered, "the heartbeat sent to port " + port + " arrived");
        assertEquals(port, delivered.getTerm());
      }
    } finally {
      listener.close();
    }
  }
}
