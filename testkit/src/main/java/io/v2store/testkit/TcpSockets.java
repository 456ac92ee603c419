package io.v2store.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Linux's tables of TCP sockets, {@code /proc/net/tcp} and {@code /proc/net/tcp6}, for tests that
 * check what timer the kernel runs on a connection (keep-alive, where a vanished peer must be
 * found out). Nothing in Java's socket API shows it.
 */
public final class TcpSockets {
  /** The timer kind the tables show while a keep-alive timer runs. */
  public static final int TIMER_KEEPALIVE = 2;
  private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final String ESTABLISHED = "01";

  private TcpSockets() {}

  /**
   * One row: its ports, whether the connection is established, its timer (kind, and clock ticks
   * until it fires: USER_HZ, 100 a second) and the socket's inode.
   */
  public record Entry(int localPort, int remotePort, boolean established, int timer, long ticksLeft,
      String inode) {}

  /** Whether this system has the tables (Linux). */
  public static boolean readable() {
    return Files.isReadable(TABLES.get(0));
  }

  /** Every socket in the tables now. */
  public static List<Entry> list() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (Path table : TABLES) {
      if (!Files.isReadable(table)) continue;
      List<String> lines = Files.readAllLines(table);
      for (String line : lines.subList(1, lines.size())) entries.add(parse(line));
    }
    return entries;
  }

  /** The established connection from localPort to remotePort, or null while it is not listed. */
  public static Entry connection(int localPort, int remotePort) throws IOException {
    for (Entry e : list()) {
      if (e.established() && e.localPort() == localPort && e.remotePort() == remotePort) return e;
    }
    return null;
  }

  /** The inodes of the sockets the process holds open ({@code /proc/<pid>/fd}). */
  public static Set<String> inodesOf(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString(); // socket:[inode]
          if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
        } catch (IOException closedMeanwhile) {
          // gone between the listing and the read
        }
      }
    }
    return inodes;
  }

  /** A table row: {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...}. */
  static Entry parse(String line) {
    String[] f = line.trim().split("\\s+");
    String[] timer = f[5].split(":");
    return new Entry(port(f[1]), port(f[2]), f[3].equals(ESTABLISHED), Integer.parseInt(timer[0], 16),
        Long.parseLong(timer[1], 16), f[9]);
  }

  /** The port of an address as the tables write it: hex address, a colon, hex port. */
  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
  }
}
