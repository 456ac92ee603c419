package io.v2store.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 for the members, proxies and etcds that tests start as child processes,
 * which bind them a moment after the test picked them.
 *
 * <p>Port 0 would let the kernel pick, but from the ephemeral range, where every outgoing
 * connection on the machine also takes its local port, and where a test JVM running beside this
 * one (surefire forks, see the server and it poms) picks too: a port handed out here could be
 * taken by either before the child binds it. So the ports come from just below the ephemeral
 * range, which connections never take, and each fork walks its own slice of them, from a random
 * point so that two runs on one machine seldom walk in step. Each port is still tried by binding
 * it, which skips one that anything else holds.
 */
public final class LoopbackPorts {
  /** Ports below the ephemeral range that the slices share out. */
  private static final int SPAN = 16_000;
  /** Slices of the span; the fork number picks one, so forks up to this many never overlap. */
  private static final int SLICES = 4;
  private static final int LOWEST = 1024;

  private static int next = -1;
  private static int sliceStart;
  private static int sliceSize;

  private LoopbackPorts() {}

  /** A port free on 127.0.0.1 now, not handed out before by this JVM unless its slice wrapped. */
  public static synchronized int next() {
    if (next < 0) {
      int[] slice = slice(ephemeralLow(), forkNumber());
      sliceStart = slice[0];
      sliceSize = slice[1];
      next = ThreadLocalRandom.current().nextInt(sliceSize);
    }
    for (int tried = 0; tried < sliceSize; tried++) {
      int port = sliceStart + next;
      next = (next + 1) % sliceSize;
      if (free(port)) return port;
    }
    throw new IllegalStateException("no free port in " + sliceStart + "-"
        + (sliceStart + sliceSize - 1));
  }

  /** The first port and the size of fork {@code fork}'s slice, under {@code ephemeralLow}. */
  static int[] slice(int ephemeralLow, int fork) {
    int bottom = Math.max(LOWEST, ephemeralLow - SPAN);
    int size = (ephemeralLow - bottom) / SLICES;
    return new int[] {bottom + size * Math.floorMod(fork - 1, SLICES), size};
  }

  /** Surefire's fork number (1, 2, ...), passed by the poms; 1 when run some other way. */
  private static int forkNumber() {
    try {
      return Integer.parseInt(System.getProperty("v2store.test.fork", "1"));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** The first port of Linux's ephemeral range, or its default where that cannot be read. */
  static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      // A range starting this low leaves no room under it: use the default's (and share ports
      // with connections, as port 0 would).
      return low >= LOWEST + SPAN ? low : 32768;
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  /**
   * Bound without address reuse, which is stricter than the children's listeners: a port that a
   * closed connection still holds in TIME_WAIT is skipped, whatever the child's listener sets.
   */
  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
