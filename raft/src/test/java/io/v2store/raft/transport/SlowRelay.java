package io.v2store.raft.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A slow network link on 127.0.0.1: accepts on a port of its own and forwards each connection to
 * the target, all of them together at most bytesPerSecond each way, as one link they share.
 */
final class SlowRelay implements AutoCloseable {
  private static final int SLICE = 4096;
  private static final int LINK_QUEUE_BYTES = 32 << 10;

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Rate forward;
  private final Rate backward;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile boolean closed;
  /** The link carries nothing either way (the peer's process is paused, say). */
  private volatile boolean stalled;

  SlowRelay(InetSocketAddress target, int bytesPerSecond) throws IOException {
    this.target = target;
    this.forward = new Rate(bytesPerSecond);
    this.backward = new Rate(bytesPerSecond);
    this.listener = new ServerSocket();
    // What the link holds in flight: a small queue, as a router's, not the kernel's megabytes.
    listener.setReceiveBufferSize(LINK_QUEUE_BYTES);
    listener.bind(new InetSocketAddress(target.getAddress(), 0));
    this.acceptor = new Thread(this::acceptLoop, "slow-relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket in = listener.accept();
        Socket out = new Socket();
        out.setReceiveBufferSize(LINK_QUEUE_BYTES);
        out.connect(target);
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
        sockets.add(in);
        sockets.add(out);
        pump(in, out, forward);
        pump(out, in, backward);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, Rate rate) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[SLICE];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          while (stalled && !closed) {
            LockSupport.parkNanos(1_000_000L);
          }
          rate.take(n);
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "slow-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  /**
   * From now on the link takes no more bytes: what the sender writes stays in its socket, as when
   * the peer's process is paused (its kernel still answers, with a window of zero).
   */
  void stall() {
    stalled = true;
  }

  /** Bytes go at most at the rate, shared by every connection going the same way. */
  private static final class Rate {
    private final long nanosPerByte;
    private long nextFreeNanos = System.nanoTime();

    Rate(int bytesPerSecond) {
      this.nanosPerByte = 1_000_000_000L / bytesPerSecond;
    }

    void take(int bytes) {
      long until;
      synchronized (this) {
        nextFreeNanos = Math.max(nextFreeNanos, System.nanoTime()) + bytes * nanosPerByte;
        until = nextFreeNanos;
      }
      for (long left; (left = until - System.nanoTime()) > 0; ) {
        LockSupport.parkNanos(left);
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    sockets.forEach(SlowRelay::closeQuietly);
  }
}
