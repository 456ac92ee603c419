package io.v2store.etcdctl.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A copy of a running member's data dir, made by the member on request over the Unix socket it
 * keeps in its data dir (the server's LiveBackups), and kept by it until this is closed.
 */
final class RunningMemberCopy implements AutoCloseable {
  /** Where a member keeps its copies and the socket, relative to its data dir. */
  static final Path DIR = Path.of("member", "backup");
  private static final String REQUEST = "checkpoint\n";
  private static final int MAX_ANSWER_BYTES = 4096;

  private final SocketChannel channel;
  private final Path dataDir;

  private RunningMemberCopy(SocketChannel channel, Path dataDir) {
    this.channel = channel;
    this.dataDir = dataDir;
  }

  /**
   * Asks the member running on dataDir for a copy.
   *
   * @throws Unavailable when no member answers there (none runs, or one without live backups)
   * @throws IOException when the member answers with an error
   */
  static RunningMemberCopy request(Path dataDir) throws IOException {
    final Path socket = dataDir.resolve(DIR).resolve("sock");
    final SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (UnsupportedOperationException e) {
      throw new Unavailable("this system has no Unix sockets");
    }
    try {
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException | RuntimeException e) {
        throw new Unavailable("no member answers on " + socket + " (" + e.getMessage() + ")");
      }
      final ByteBuffer out = ByteBuffer.wrap(REQUEST.getBytes(StandardCharsets.US_ASCII));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      final String answer = readLine(channel);
      if (answer == null) {
        throw new IOException("the member closed the backup socket without an answer");
      }
      if (!answer.startsWith("ok ")) {
        throw new IOException("the member could not copy its data dir: "
            + answer.replaceFirst("^error ", ""));
      }
      // The member names it relative to its data dir, which may be mounted elsewhere here.
      final Path copy = dataDir.resolve(answer.substring(3)).normalize();
      if (!copy.startsWith(dataDir.resolve(DIR).normalize()) || !Files.isDirectory(copy)) {
        throw new IOException("the member's copy " + copy + " cannot be read here");
      }
      return new RunningMemberCopy(channel, copy);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The copy: a data dir as a stopped member leaves it. */
  Path dataDir() {
    return dataDir;
  }

  /** Tells the member the copy is no longer needed. */
  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static String readLine(SocketChannel channel) throws IOException {
    final ByteBuffer in = ByteBuffer.allocate(MAX_ANSWER_BYTES);
    while (in.hasRemaining() && channel.read(in) >= 0) {
      for (int i = 0; i < in.position(); i++) {
        if (in.get(i) == '\n') {
          return new String(in.array(), 0, i, StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  /** No member offers a copy on this data dir. */
  static final class Unavailable extends IOException {
    Unavailable(String message) {
      super(message);
    }
  }
}
