package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import org.junit.jupiter.api.Test;

/**
 * Peer connections probe an idle peer after 30 s, both the one a member dials and the one it
 * accepts, as etcd's peer dialer does: one from a peer that vanished without closing it (power
 * lost) held its channel, and the staging file of a snapshot it was sending, for good.
 */
class PeerKeepAliveTest {

  @Test
  void bothEndsOfAPeerConnectionProbeAfterThirtySecondsIdle() throws Exception {
    try (TestMember listener = new TestMember(0xaaaL, 2, 0, TestMember.FAST_RECONNECT);
        TestMember dialer = new TestMember(0xaaaL, 1, 0, TestMember.FAST_RECONNECT)) {
      dialer.knows(listener);
      Awaits.await("connected", () -> dialer.transport.isConnected(2));
      Awaits.await("accepted", () -> !listener.transport.inboundChannels.isEmpty());
      assertProbes(dialer.transport.peer(2).readyChannel(), "the dialled connection");
      for (Channel accepted : listener.transport.inboundChannels) {
        assertProbes(accepted, "the accepted connection");
      }
    }
  }

  private static void assertProbes(Channel channel, String what) {
    assertTrue(channel.config().getOption(ChannelOption.SO_KEEPALIVE), what + ": keep-alive");
    if (channel instanceof EpollSocketChannel) {
      assertEquals(PeerTransport.KEEP_ALIVE_SECONDS,
          channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE), what + ": first probe");
    }
  }
}
