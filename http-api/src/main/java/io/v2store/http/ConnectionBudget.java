package io.v2store.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * On the listening sockets of one server: how many connections they may hold open at once, so
 * that clients cannot take every file descriptor the process may open. The Raft log (RocksDB)
 * opens a file each time its write-ahead log rolls over or a table is flushed, every few MiB of
 * writes, and a snapshot is written to a new file: with the descriptors all held by clients
 * (idle keep-alive connections, long polls) that open fails and the member must stop, where etcd
 * (a preallocated 64 MiB WAL segment) writes on. At the limit a listener stops accepting (the
 * connections wait in the kernel's backlog, as on EMFILE) until one of its connections closes.
 */
@Sharable
final class ConnectionBudget extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger("etcd");
  /** Descriptors kept from clients: the log's files, snapshots, peers, and a margin. */
  static final int MIN_RESERVE = 64;
  /** Connections allowed however small the limit (a member that takes none is useless). */
  static final int MIN_CONNECTIONS = 16;
  /** Clients that come and go at the limit pause and resume a listener often: one line a minute. */
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final int max;
  private final long fileLimit;
  private final List<Channel> paused = new ArrayList<>();
  private int open;
  private long loggedAt;
  private boolean logged;

  ConnectionBudget(int max, long fileLimit) {
    this.max = max;
    this.fileLimit = fileLimit;
  }

  /**
   * What this process's open file limit leaves for connections: the limit, less what is open now
   * (the JVM's jars, the log's files, the peer port), less a reserve of an eighth of the limit
   * (at least {@link #MIN_RESERVE}).
   */
  static ConnectionBudget forOpenFileLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
      return new ConnectionBudget(Integer.MAX_VALUE, 0);
    }
    long limit = unix.getMaxFileDescriptorCount();
    long left = limit - unix.getOpenFileDescriptorCount() - Math.max(MIN_RESERVE, limit / 8);
    return new ConnectionBudget((int) Math.min(Integer.MAX_VALUE, Math.max(MIN_CONNECTIONS, left)),
        limit);
  }

  int max() {
    return max;
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
      LOG.log(System.Logger.Level.WARNING, open + " client connections, as many as the open file"
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
