package io.v2store.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class TcpSocketsTest {
  @Test
  void aRowOfTheTableIsRead() {
    // a listening socket on 127.0.0.1:2379 (0x094B), and a connection from 0x9C40 to it with a
    // keep-alive timer 0x1A0 ticks from firing
    TcpSockets.Entry listening = TcpSockets.parse("   0: 0100007F:094B 00000000:0000 0A 00000000:00000000 "
        + "00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0");
    assertEquals(2379, listening.localPort());
    assertFalse(listening.established());
    assertEquals("123456", listening.inode());
    TcpSockets.Entry connected = TcpSockets.parse("  12: 0100007F:9C40 0100007F:094B 01 00000000:00000000 "
        + "02:000001A0 00000000     0        0 654321 2 0000000000000000 20 4 30 10 -1");
    assertEquals(40000, connected.localPort());
    assertEquals(2379, connected.remotePort());
    assertTrue(connected.established());
    assertEquals(TcpSockets.TIMER_KEEPALIVE, connected.timer());
    assertEquals(0x1A0, connected.ticksLeft());
  }

  @Test
  void aConnectionOfThisProcessIsListedWithItsInode() throws Exception {
    assumeTrue(TcpSockets.readable(), "Linux's /proc/net/tcp");
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      TcpSockets.Entry mine = TcpSockets.connection(client.getLocalPort(), server.getLocalPort());
      assertNotNull(mine, "the client's end is listed");
      assertNotNull(TcpSockets.connection(server.getLocalPort(), client.getLocalPort()), "and the server's");
      assertTrue(TcpSockets.inodesOf(ProcessHandle.current().pid()).contains(mine.inode()),
          "its inode among this process's sockets");
    }
  }
}
