package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Entry;
import io.v2store.storage.log.RocksDbLog;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The member's side of a backup taken while it runs: one copy per connection, gone after it. */
class LiveBackupsTest {
  @TempDir Path tmp;

  private static SocketChannel connect(Path memberDir) throws IOException {
    final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(
        memberDir.resolve(LiveBackups.DIR).resolve(LiveBackups.SOCKET)));
    return channel;
  }

  private static String ask(SocketChannel channel, String request) throws IOException {
    channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
    final ByteBuffer in = ByteBuffer.allocate(4096);
    while (channel.read(in) >= 0) {
      final String text = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
      if (text.endsWith("\n")) return text.trim();
    }
    return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    final Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean()) {
      assertTrue(Instant.now().isBefore(deadline), "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  private Path memberDir() throws IOException {
    final Path memberDir = tmp.resolve("data/member");
    Files.createDirectories(memberDir);
    MemberIdentity.readOrCreate(memberDir, new MemberIdentity(0xabcL, 0x123L));
    return memberDir;
  }

  @Test
  void aCopyLivesAsLongAsItsConnection() throws Exception {
    final Path memberDir = memberDir();
    try (RocksDbLog log = RocksDbLog.open(memberDir.resolve("raft"))) {
      log.createSnapshot(0, ConfState.newBuilder().addVoters(0xabcL).build(), new byte[] {1});
      log.save(null, List.of(Entry.newBuilder().setIndex(1).setTerm(1)
          .setData(ByteString.copyFromUtf8("one")).build()), true);
      // a socket and a copy left by a member killed during a backup
      Files.createDirectories(memberDir.resolve("backup/copy-old"));
      final LiveBackups backups = LiveBackups.start("m1", memberDir, log);
      try {
        assertFalse(Files.exists(memberDir.resolve("backup/copy-old")), "leftovers removed at start");
        try (SocketChannel bad = connect(memberDir)) {
          assertEquals("error unknown request", ask(bad, "give me everything\n"));
        }
        final Path copy;
        try (SocketChannel channel = connect(memberDir)) {
          final String answer = ask(channel, "checkpoint\n");
          assertTrue(answer.startsWith("ok "), answer);
          assertTrue(answer.startsWith("ok member/backup/copy-"), "relative to the data dir: " + answer);
          copy = memberDir.getParent().resolve(answer.substring(3));
          assertEquals(Files.readString(memberDir.resolve("identity")),
              Files.readString(copy.resolve("member/identity")));
          try (RocksDbLog restored = RocksDbLog.open(copy.resolve("member/raft"))) {
            assertEquals(1, restored.lastIndex());
            assertEquals("one", restored.entries(1, 2, Long.MAX_VALUE).get(0).getData().toStringUtf8());
            assertEquals(0, restored.snapshot().getMetadata().getIndex());
          }
        }
        await("the copy to go once its connection closed", () -> !Files.exists(copy));
      } finally {
        backups.close();
      }
      assertFalse(Files.exists(memberDir.resolve("backup")), "a stopped member leaves no socket");
    }
  }

  @Test
  void stoppingTheMemberEndsACopyStillOpen() throws Exception {
    final Path memberDir = memberDir();
    try (RocksDbLog log = RocksDbLog.open(memberDir.resolve("raft"))) {
      final LiveBackups backups = LiveBackups.start("m1", memberDir, log);
      try (SocketChannel channel = connect(memberDir)) {
        assertTrue(ask(channel, "checkpoint\n").startsWith("ok "));
        backups.close();
        assertFalse(Files.exists(memberDir.resolve("backup")));
        assertEquals(-1, channel.read(ByteBuffer.allocate(1)), "the member ended the connection");
      }
    }
  }

  @Test
  void aMemberWhoseSocketCannotBeMadeRunsWithout() throws Exception {
    final Path memberDir = tmp.resolve("a-data-dir-with-a-name-longer-than-a-unix-socket-path-may-be-"
        + "x".repeat(60) + "/member");
    Files.createDirectories(memberDir);
    try (RocksDbLog log = RocksDbLog.open(memberDir.resolve("raft"))) {
      final LiveBackups backups = LiveBackups.start("m1", memberDir, log);
      assertFalse(Files.exists(memberDir.resolve("backup").resolve(LiveBackups.SOCKET)));
      backups.close();
    }
  }

  /**
   * A copy whose thread cannot be started (the JVM's "unable to create native thread", for a
   * while) is refused on its connection, and the next one is served. Before, the error ended the
   * thread that accepts: that etcdctl backup, and every later one, waited for an answer for good.
   */
  @Test
  void aCopyWhoseThreadCannotStartIsRefusedAndTheNextServed() throws Exception {
    final Path memberDir = memberDir();
    final AtomicBoolean failNext =
        new AtomicBoolean();
    try (RocksDbLog log = RocksDbLog.open(memberDir.resolve("raft"))) {
      log.createSnapshot(0, ConfState.newBuilder().addVoters(0xabcL).build(), new byte[] {1});
      final LiveBackups backups = LiveBackups.start("m1", memberDir, log, body -> new Thread(body) {
        @Override
        public synchronized void start() {
          if (failNext.getAndSet(false)) {
            throw new OutOfMemoryError("unable to create native thread");
          }
          super.start();
        }
      }, () -> ServerSocketChannel.open(StandardProtocolFamily.UNIX));
      try {
        failNext.set(true);
        try (SocketChannel refused = connect(memberDir)) {
          final ByteBuffer in = ByteBuffer.allocate(64);
          assertEquals(-1, within10s(() -> refused.read(in),
              "the connection was left waiting for an answer"),
              "the connection is ended, not left waiting");
        }
        try (SocketChannel channel = connect(memberDir)) {
          assertTrue(within10s(() -> ask(channel, "checkpoint\n"),
              "the next backup was never answered").startsWith("ok "));
        }
      } finally {
        backups.close();
      }
    }
  }

  /**
   * An accept that fails (the member out of file descriptors for a moment) is tried again.
   * Before, the thread that accepts ended there: every later etcdctl backup connected, into the
   * socket's backlog, and waited for an answer for good.
   */
  @Test
  void aFailedAcceptIsTriedAgain() throws Exception {
    final Path memberDir = memberDir();
    final AtomicInteger failures =
        new AtomicInteger(1);
    try (RocksDbLog log = RocksDbLog.open(memberDir.resolve("raft"))) {
      log.createSnapshot(0, ConfState.newBuilder().addVoters(0xabcL).build(), new byte[] {1});
      final LiveBackups backups = LiveBackups.start("m1", memberDir, log, Thread::new,
          () -> new FailingAccepts(ServerSocketChannel.open(StandardProtocolFamily.UNIX),
              failures));
      try (SocketChannel channel = connect(memberDir)) {
        assertTrue(within10s(() -> ask(channel, "checkpoint\n"),
            "the backup was never answered").startsWith("ok "));
        assertEquals(0, failures.get(), "the accept failed once first");
      } finally {
        backups.close();
      }
    }
  }

  /** A listening socket whose next accepts fail as with EMFILE, as many as failures says. */
  private static final class FailingAccepts extends ServerSocketChannel {
    private final ServerSocketChannel socket;
    private final AtomicInteger failures;

    FailingAccepts(ServerSocketChannel socket,
        AtomicInteger failures) {
      super(socket.provider());
      this.socket = socket;
      this.failures = failures;
    }

    @Override
    public SocketChannel accept() throws IOException {
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IOException("Too many open files");
      }
      return socket.accept();
    }

    @Override
    public ServerSocketChannel bind(java.net.SocketAddress local, int backlog) throws IOException {
      socket.bind(local, backlog);
      return this;
    }

    @Override
    public <T> ServerSocketChannel setOption(java.net.SocketOption<T> name, T value)
        throws IOException {
      socket.setOption(name, value);
      return this;
    }

    @Override
    public <T> T getOption(java.net.SocketOption<T> name) throws IOException {
      return socket.getOption(name);
    }

    @Override
    public java.util.Set<java.net.SocketOption<?>> supportedOptions() {
      return socket.supportedOptions();
    }

    @Override
    public java.net.ServerSocket socket() {
      return socket.socket();
    }

    @Override
    public java.net.SocketAddress getLocalAddress() throws IOException {
      return socket.getLocalAddress();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
      socket.close();
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
      socket.configureBlocking(block);
    }
  }

  /** What call returns within 10 s; still blocked then, the test fails with hung. */
  private static <T> T within10s(Callable<T> call, String hung) throws Exception {
    final Future<T> result = ForkJoinPool.commonPool().submit(call);
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      throw new AssertionError(hung);
    }
  }
}
