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
   * The fallback's warning names the innermost cause: Netty wraps a library that would not load
   * (dlopen's "failed to map segment", a noexec /tmp) in errors of its own words.
   */
  @Test
  void theFallbacksReasonIsTheInnermostCauseWithWords() {
    Throwable dlopen = new UnsatisfiedLinkError("/tmp/libx.so: failed to map segment from shared object");
    Throwable wrapped = new IllegalStateException("failed to load the required native library",
        new UnsatisfiedLinkError("could not load a native library: x").initCause(dlopen));
    assertEquals("/tmp/libx.so: failed to map segment from shared object", NettyIo.rootMessage(wrapped));
    assertEquals("outer", NettyIo.rootMessage(new IllegalStateException("outer", new NullPointerException())));
    assertEquals("java.lang.NullPointerException", NettyIo.rootMessage(new NullPointerException()));
    Throwable a = new IllegalStateException("a");
    Throwable b = new IllegalStateException("b", a);
    a.initCause(b); // a loop of causes still ends
    assertEquals("b", NettyIo.rootMessage(a));
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
