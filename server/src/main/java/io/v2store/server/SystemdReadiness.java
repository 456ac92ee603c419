package io.v2store.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * Tells systemd that this member serves ("READY=1" on $NOTIFY_SOCKET), as etcd does once it has
 * joined its cluster. Debian's etcd.service is {@code Type=notify}: without this, a binary put in
 * place of etcd's would be held "activating" by systemd, killed at its start timeout and started
 * again, forever. Without $NOTIFY_SOCKET (not started by systemd, or another Type) nothing is sent.
 *
 * <p>The protocol is one datagram on a Unix socket, which the JDK cannot send (its Unix sockets
 * are streams only); Netty's native transport, which the member loads anyway, can.
 */
final class SystemdReadiness {
  private static final Logger LOG = Logger.getLogger(SystemdReadiness.class.getName());

  private SystemdReadiness() {}

  /** Sends READY=1 if systemd asked for it; a failure is logged, as etcd logs it, not fatal. */
  static void notifyReady(String who) {
    String socket = System.getenv("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) return;
    LOG.info(who + ": notifying init daemon");
    try {
      send(socket, "READY=1");
      LOG.info(who + ": successfully notified init daemon");
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      LOG.severe(who + ": failed to notify systemd for readiness: " + e.getMessage());
    }
  }

  /** One datagram of state to the socket named as systemd names it ("@" for the abstract space). */
  static void send(String socketName, String state) throws IOException {
    if (!socketName.startsWith("/") && !socketName.startsWith("@")) {
      throw new IOException("NOTIFY_SOCKET " + socketName + " is neither a path nor abstract");
    }
    if (!Epoll.isAvailable()) {
      throw new IOException("no native Unix sockets here: " + Epoll.unavailabilityCause());
    }
    byte[] address = socketName.getBytes(StandardCharsets.UTF_8);
    if (address[0] == '@') address[0] = 0; // the abstract namespace starts with a NUL byte
    byte[] payload = state.getBytes(StandardCharsets.UTF_8);
    ByteBuf buf = Unpooled.directBuffer(payload.length).writeBytes(payload);
    Socket out = Socket.newSocketDomainDgram();
    try {
      ByteBuffer nio = buf.nioBuffer();
      int sent = out.sendToDomainSocket(nio, nio.position(), nio.limit(), address);
      if (sent != payload.length) {
        throw new IOException("sent " + sent + " of " + payload.length + " bytes to " + socketName);
      }
    } finally {
      out.close();
      buf.release();
    }
  }
}
