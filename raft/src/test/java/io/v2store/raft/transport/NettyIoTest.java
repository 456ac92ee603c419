package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.EventExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NettyIoTest {

  /**
   * Every loop of a new group runs on a thread of its own before anything is given to it, so
   * that a process short of threads finds out while it starts, not when a connection lands on a
   * loop whose thread cannot be made.
   */
  @Test
  void everyLoopOfANewGroupHasItsThreadRunning() throws Exception {
    EventLoopGroup group = NettyIo.group(3);
    try {
      Set<Thread> live = Thread.getAllStackTraces().keySet();
      int loops = 0;
      for (EventExecutor loop : group) {
        loops++;
        assertTrue(live.stream().anyMatch(loop::inEventLoop),
            "a loop whose thread was not started: " + loop);
      }
      assertEquals(3, loops);
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
    }
  }

  /**
   * Tests load Netty's library as the launchers do, from the unpacked copy on java.library.path
   * (the parent pom's test-native), not from a copy Netty writes to /tmp for each JVM.
   */
  @Test
  void theNativeTransportLoadsFromTheLibraryPath() throws Exception {
    assertTrue(Epoll.isAvailable(), String.valueOf(Epoll.unavailabilityCause()));
    String maps = Files.readString(Path.of("/proc/self/maps"));
    assertTrue(maps.contains("/test-native/libnetty_transport_native_epoll_x86_64.so"),
        maps.lines().filter(l -> l.contains("netty")).findFirst().orElse("(not mapped)"));
  }
}
