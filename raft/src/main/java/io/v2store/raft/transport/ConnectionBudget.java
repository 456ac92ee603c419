package io.v2store.raft.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * On the listening sockets of one server (the client port, the peer port): how many connections
 * they may hold open at once, so that callers cannot take every file descriptor the process may
 * open. The Raft log (RocksDB)
 * opens a file each time its write-ahead log rolls over or a table is flushed, every few MiB of
 * writes, and a snapshot is written to a new file: with the descriptors all held by clients
 * (idle keep-alive connections, long polls) that open fails and the member must stop, where etcd
 * (a preallocated 64 MiB WAL segment) writes on. At the limit a listener stops accepting (the
 * connections wait in the kernel's backlog, as on EMFILE) until one of its connections closes.
 */
@Sharable
public final class ConnectionBudget extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger("etcd");
  /** Descriptors kept from clients: the log's files, snapshots, peers, and a margin. */
  static final int MIN_RESERVE = 64;
  /** Connections allowed however small the limit (a member that takes none is useless). */
  static final int MIN_CONNECTIONS = 16;
  static final int PEER_MIN = 32;
  static final int METRICS_MIN = 16;
  /** Clients that come and go at the limit pause and resume a listener often: one line a minute. */
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final String what;
  private final int max;
  private final long fileLimit;
  private final List<Channel> paused = new ArrayList<>();
  private int open;
  private long loggedAt;
  private boolean logged;

  /** what: whose connections, for the log ("client"). */
  public ConnectionBudget(String what, int max, long fileLimit) {
    this.what = what;
    this.max = max;
    this.fileLimit = fileLimit;
  }

  /**
   * What this process's open file limit leaves for connections: the limit, less what is open now
   * (the JVM's jars, the log's files, the peer port), less a reserve of an eighth of the limit
   * (at least {@link #MIN_RESERVE}).
   */
  public static ConnectionBudget forOpenFileLimit(String what) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
      return new ConnectionBudget(what, Integer.MAX_VALUE, 0);
    }
    long limit = unix.getMaxFileDescriptorCount();
    long left = limit - unix.getOpenFileDescriptorCount() - Math.max(MIN_RESERVE, limit / 8);
    return new ConnectionBudget(what,
        (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_CONNECTIONS, left)), limit);
  }

  /**
   * The peer port's: a sixteenth of the open file limit, at least {@link #PEER_MIN}, within the
   * reserve the client port leaves (a member's peers hold a few connections each).
   */
  static ConnectionBudget forPeers() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
      return new ConnectionBudget("peer", Integer.MAX_VALUE, 0);
    }
    long limit = unix.getMaxFileDescriptorCount();
    return new ConnectionBudget("peer",
        (int) Math.min(Integer.MAX_VALUE, Math.max(PEER_MIN, limit / 16)), limit);
  }

  /**
   * The metrics listeners' (--listen-metrics-urls): a sixty-fourth of the open file limit, at
   * least {@link #METRICS_MIN}, taken out of the clients' ({@link #less}), so that health
   * checks and scrapes are answered however many clients wait.
   */
  public static ConnectionBudget forMetrics(long fileLimit) {
    return new ConnectionBudget("metrics",
        (int) Math.min(Integer.MAX_VALUE, Math.max(METRICS_MIN, fileLimit / 64)), fileLimit);
  }

  /** This budget less the connections another one holds (at least {@link #MIN_CONNECTIONS}). */
  public ConnectionBudget less(ConnectionBudget other) {
    return max == Integer.MAX_VALUE ? this
        : new ConnectionBudget(what, Math.max(MIN_CONNECTIONS, max - other.max), fileLimit);
  }

  public int max() {
    return max;
  }

  /** The open file limit this budget was derived from (0: none, or not known). */
  public long fileLimit() {
    return fileLimit;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child) {
      accepted(ctx.channel());
      child.closeFuture().addListener(f -> closed());
    }
    ctx.fireChannelRead(msg);
  }

  private synchronized void accepted(Channel listener) {
    open++;
    if (open < max || paused.contains(listener)) return;
    paused.add(listener);
    listener.config().setAutoRead(false);
    long now = System.nanoTime();
    if (!logged || now - loggedAt >= LOG_INTERVAL_NANOS) {
      logged = true;
      loggedAt = now;
      LOG.log(System.Logger.Level.WARNING, open + " " + what + " connections, as many as the open file"
          + " limit (" + fileLimit + ") leaves room for; new ones wait until one closes");
    }
  }

  private synchronized void closed() {
    open--;
    if (open >= max || paused.isEmpty()) return;
    for (Channel listener : paused) listener.config().setAutoRead(true);
    paused.clear();
  }
}
