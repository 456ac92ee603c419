package io.v2store.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client port that takes each connection and the head of its first request, then never
 * answers: it closes the connection (a member that dies mid-request) or, hanging, keeps it open
 * until closed itself (a member that hangs). On cue, for the proxy's retry to meet.
 */
final class DroppingMember implements AutoCloseable {
  private final ServerSocket socket;
  private final boolean hang;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final AtomicInteger dropped = new AtomicInteger();
  private volatile String lastHead = "";
  private final Thread acceptor;

  /** hang: keep each connection open, unanswered, instead of closing it. */
  DroppingMember(boolean hang) throws IOException {
    this.hang = hang;
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::serve, "dropping-member");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  /** How many requests it took and dropped. */
  int dropped() {
    return dropped.get();
  }

  private void serve() {
    while (!socket.isClosed()) {
      Socket s = null;
      try {
        s = socket.accept();
        s.setSoTimeout(10_000);
        String head = readHead(s.getInputStream());
        if (head != null) {
          lastHead = head;
          dropped.incrementAndGet();
        }
        if (hang) {
          held.add(s);
          s = null;
        }
      } catch (IOException e) {
        // closed by close(), or a peer that went first: either way the next one
      } finally {
        closeQuietly(s);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      if (s != null) s.close();
    } catch (IOException e) {
      // going anyway
    }
  }

  /** The last request head it took, as sent. */
  String lastHead() {
    return lastHead;
  }

  /** Reads up to the blank line that ends a request head; null if the connection ended first. */
  private static String readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    StringBuilder head = new StringBuilder();
    for (int b; (b = in.read()) != -1; ) {
      head.append((char) b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == end.length) return head.toString();
    }
    return null;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    socket.close();
    held.forEach(DroppingMember::closeQuietly);
    acceptor.join(10_000);
  }
}
