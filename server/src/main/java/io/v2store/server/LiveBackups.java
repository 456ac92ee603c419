package io.v2store.server;

import io.v2store.storage.log.RocksDbLog;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Lets {@code etcdctl backup} copy this member's data dir while the member runs, as etcd's backup
 * copies a running etcd's. The data dir is all that command is given, so the member listens on a
 * Unix socket inside it ({@code member/backup/sock}). A connection that sends {@code checkpoint}
 * gets {@code ok <dir>} (relative to the data dir): a data dir as a stopped member would leave
 * it, made by the member
 * (RocksDB's checkpoint, hard links where it can) inside {@code member/backup/}, which etcdctl
 * then copies. The copy is removed when the connection closes, however etcdctl ends. The
 * directory is the member user's alone (0700): who may ask is who may read the data dir anyway.
 */
final class LiveBackups implements AutoCloseable {
  static final String DIR = "backup";
  static final String SOCKET = "sock";
  static final String REQUEST = "checkpoint";
  private static final Logger LOG = Logger.getLogger("etcd");
  private static final int MAX_REQUEST_BYTES = 64;
  /** As the client listeners retry an accept that failed (see AcceptErrors). */
  private static final long ACCEPT_RETRY_MILLIS = 1_000;

  private final String name;
  private final Path memberDir;
  private final Path backupDir;
  private final RocksDbLog log;
  private final ServerSocketChannel server;
  private final AtomicLong copies = new AtomicLong();
  private final ThreadFactory newThread;
  private final List<Thread> threads = new ArrayList<>();
  private final List<SocketChannel> open = new ArrayList<>();
  private boolean closed;

  private LiveBackups(String name, Path memberDir, RocksDbLog log, ServerSocketChannel server,
      ThreadFactory newThread) {
    this.name = name;
    this.newThread = newThread;
    this.memberDir = memberDir;
    this.backupDir = memberDir.resolve(DIR);
    this.log = log;
    this.server = server;
  }

  /**
   * Listens in memberDir, whose lock this process holds. Where the socket cannot be made (a
   * path too long for one, a file system without them) the member runs without, saying so:
   * etcdctl then asks for the member to be stopped, as before.
   */
  static LiveBackups start(String name, Path memberDir, RocksDbLog log) {
    return start(name, memberDir, log, Thread::new, LiveBackups::openSocket);
  }

  /**
   * As above; newThread makes the threads that accept and copy, open the socket, unbound (tests:
   * a thread that cannot start, a socket whose accept fails).
   */
  static LiveBackups start(String name, Path memberDir, RocksDbLog log, ThreadFactory newThread,
      SocketOpener open) {
    final Path dir = memberDir.resolve(DIR);
    deleteTree(dir); // copies and a socket left by a member that did not stop cleanly
    ServerSocketChannel server = null;
    try {
      try {
        Files.createDirectories(dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createDirectories(dir);
      }
      server = open.open();
      server.bind(UnixDomainSocketAddress.of(dir.resolve(SOCKET)));
    } catch (IOException | RuntimeException e) {
      if (server != null) closeQuietly(server);
      LOG.warning(() -> name + ": no backup of the running member (etcdctl backup will ask to "
          + "stop it): cannot listen on " + dir.resolve(SOCKET) + ": " + e.getMessage());
      return new LiveBackups(name, memberDir, log, null, newThread);
    }
    final LiveBackups backups = new LiveBackups(name, memberDir, log, server, newThread);
    backups.spawn(backups::accept, "backup-socket");
    return backups;
  }

  /** Opens the listening socket. */
  interface SocketOpener {
    ServerSocketChannel open() throws IOException;
  }

  private static ServerSocketChannel openSocket() throws IOException {
    return ServerSocketChannel.open(StandardProtocolFamily.UNIX);
  }

  private void accept() {
    while (true) {
      final SocketChannel connection;
      try {
        connection = server.accept();
      } catch (ClosedChannelException stopping) {
        return;
      } catch (IOException e) {
        // Out of file descriptors for a moment, as a busy member may be: ending here would
        // leave every later etcdctl backup waiting in the socket's backlog for good.
        LOG.warning(() -> name + ": backup socket: " + e + "; accepting again in "
            + ACCEPT_RETRY_MILLIS + " ms");
        try {
          Thread.sleep(ACCEPT_RETRY_MILLIS);
        } catch (InterruptedException interrupted) {
          return;
        }
        continue;
      }
      synchronized (this) {
        if (closed) {
          closeQuietly(connection);
          return;
        }
        open.add(connection);
        try {
          spawn(() -> serve(connection), "backup-" + copies.incrementAndGet());
        } catch (RuntimeException | Error e) {
          // This backup fails (etcdctl reads the end of the connection); the next is accepted.
          LOG.warning(() -> name + ": backup of the running member refused: " + e);
          open.remove(connection);
          closeQuietly(connection);
        }
      }
    }
  }

  /** One copy per connection, alive until the client closes it (or the member stops). */
  private void serve(SocketChannel connection) {
    Path copy = null;
    try (connection) {
      final String request = readLine(connection);
      if (!REQUEST.equals(request)) {
        reply(connection, "error unknown request");
        return;
      }
      copy = Files.createTempDirectory(backupDir, "copy-");
      try {
        copyInto(copy);
      } catch (IOException | RuntimeException e) {
        LOG.warning(name + ": backup of the running member failed: " + e);
        reply(connection, "error " + oneLine(e.getMessage()));
        return;
      }
      // Relative to the data dir: etcdctl may see it under another path (a container's mount).
      reply(connection, "ok " + memberDir.getParent().relativize(copy));
      final long bytes = size(copy);
      LOG.info(name + ": a backup is copying " + copy + " (" + bytes + " bytes)");
      // The client reads the copy, then closes; nothing more is expected on the connection.
      final ByteBuffer rest = ByteBuffer.allocate(MAX_REQUEST_BYTES);
      while (connection.read(rest.clear()) >= 0) {
        // ignored until end of stream
      }
    } catch (IOException e) {
      // the client went away, or the member is stopping: the copy goes either way
    } finally {
      if (copy != null) deleteTree(copy);
      synchronized (this) {
        open.remove(connection);
        threads.remove(Thread.currentThread());
      }
    }
  }

  private void copyInto(Path copy) throws IOException {
    final Path member = copy.resolve("member");
    Files.createDirectories(member);
    Files.copy(memberDir.resolve(MemberIdentity.FILE), member.resolve(MemberIdentity.FILE),
        StandardCopyOption.COPY_ATTRIBUTES);
    log.checkpoint(member.resolve("raft"));
  }

  private static String readLine(SocketChannel connection) throws IOException {
    final ByteBuffer buffer = ByteBuffer.allocate(MAX_REQUEST_BYTES);
    while (buffer.hasRemaining()) {
      if (connection.read(buffer) < 0) break;
      for (int i = 0; i < buffer.position(); i++) {
        if (buffer.get(i) == '\n') {
          return new String(buffer.array(), 0, i, StandardCharsets.UTF_8).trim();
        }
      }
    }
    return null; // too long, or the stream ended before a line did
  }

  private static void reply(SocketChannel connection, String line) throws IOException {
    final ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      connection.write(out);
    }
  }

  private static String oneLine(String message) {
    return message == null ? "unknown error" : message.replace('\n', ' ');
  }

  private synchronized void spawn(Runnable body, String threadName) {
    final Thread thread = newThread.newThread(body);
    thread.setName(name + "-" + threadName);
    thread.setDaemon(true);
    threads.add(thread);
    try {
      thread.start();
    } catch (RuntimeException | Error e) {
      threads.remove(thread);
      throw e;
    }
  }

  /**
   * Stops listening, ends every connection and waits for copies being made: the log must not
   * close under RocksDB's checkpoint.
   */
  @Override
  public void close() {
    final List<Thread> running;
    synchronized (this) {
      if (closed || server == null) {
        closed = true;
        return;
      }
      closed = true;
      closeQuietly(server);
      open.forEach(LiveBackups::closeQuietly);
      running = List.copyOf(threads);
    }
    for (Thread thread : running) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    deleteTree(backupDir);
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warning("cannot remove " + root + ": " + e);
    }
  }
}
