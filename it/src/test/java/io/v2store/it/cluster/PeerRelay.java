package io.v2store.it.cluster;

import io.v2store.raft.transport.pb.Frame;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in front of one member's peer port, on 127.0.0.1, so that a test can cut the network
 * between members without touching the host's. Each member sends its messages to a peer on a
 * connection of its own that opens with a Hello naming the sender; the relay reads that Hello
 * and refuses (closes) the connections of the senders it is told to drop, so cutting "a to b"
 * silences a's messages to b and nothing else. Anything else on the port (the members' HTTP
 * calls) passes untouched.
 */
final class PeerRelay implements Closeable {
  private static final int MAX_HELLO_BYTES = 1 << 16;

  private final ServerSocket listener;
  private final int target;
  /** The senders whose connections are refused, by member id. */
  private final Set<Long> dropped = ConcurrentHashMap.newKeySet();
  /** Every relayed connection, with the sender it carries (0 for HTTP). */
  private final Map<Socket, Long> open = new ConcurrentHashMap<>();
  private volatile boolean closed;

  PeerRelay(int listenPort, int targetPort) throws IOException {
    this.target = targetPort;
    listener = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "peer-relay-" + listenPort);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Refuses from now on the messages of this sender, and closes what it has open. */
  void drop(long sender) {
    dropped.add(sender);
    open.forEach((socket, from) -> {
      if (from == sender) quietClose(socket);
    });
  }

  void heal() {
    dropped.clear();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket in = listener.accept();
        Thread t = new Thread(() -> relay(in), "peer-relay-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) quietSleep();
      }
    }
  }

  private void relay(Socket in) {
    try (Socket client = in) {
      DataInputStream din = new DataInputStream(client.getInputStream());
      byte[] head = new byte[4];
      din.readFully(head);
      int length = ByteBuffer.wrap(head).getInt();
      byte[] first = new byte[0];
      long sender = 0;
      if (length > 0 && length <= MAX_HELLO_BYTES) { // a frame, not "GET " or "POST"
        first = new byte[length];
        din.readFully(first);
        Frame frame = Frame.parseFrom(first);
        if (frame.hasHello()) sender = frame.getHello().getFrom();
      }
      open.put(client, sender);
      if (sender != 0 && dropped.contains(sender)) return; // checked after open.put: see drop
      try (Socket out = new Socket(InetAddress.getLoopbackAddress(), target)) {
        open.put(out, sender);
        OutputStream toMember = out.getOutputStream();
        toMember.write(head);
        toMember.write(first);
        toMember.flush();
        Thread back = new Thread(() -> pump(out, client), "peer-relay-back");
        back.setDaemon(true);
        back.start();
        pump(client, out);
      }
    } catch (IOException e) {
      // a closed or cut connection: the member reconnects and meets the relay again
    } finally {
      open.remove(in);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream src = from.getInputStream();
      OutputStream dst = to.getOutputStream();
      int n;
      while ((n = src.read(buffer)) >= 0) {
        dst.write(buffer, 0, n);
        dst.flush();
      }
    } catch (IOException e) {
      // either side closed
    } finally {
      open.remove(from);
      open.remove(to);
      quietClose(from);
      quietClose(to);
    }
  }

  private static void quietClose(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private static void quietSleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    open.keySet().forEach(PeerRelay::quietClose);
  }
}
