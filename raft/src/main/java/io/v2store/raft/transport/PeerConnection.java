package io.v2store.raft.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.transport.pb.Hello;
import io.v2store.raft.transport.pb.Refused;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one long-lived outbound connection to one peer. Reconnects with bounded exponential
 * back-off, trying the peer's addresses in turn. {@link #send} never blocks: with no accepted
 * connection, or more than the bound queued, the message is dropped and reported unreachable,
 * but for a proposal, which is held until the connection is up ({@link HeldProposals}).
 */
final class PeerConnection {
  /**
   * One of the peer's URLs: where to dial, the TLS context for an https:// one (or null), and the
   * name the peer's certificate is checked against then.
   */
  record Address(InetSocketAddress socket, SslContext tls, String tlsName) {}

  private static final System.Logger LOG = System.getLogger(PeerConnection.class.getName());

  private final long selfId;
  private final long peerId;
  // Guarded by this, as the fields below: member update replaces them.
  private List<Address> addresses;
  private final Bootstrap bootstrap;
  private final TransportConfig config;
  private final PeerEvents events;
  private final Hello hello;
  private final Backoff backoff;
  private final AtomicInteger queued = new AtomicInteger();
  private volatile Channel ready;
  // Guarded by this: the connection attempt or connection in use, and the reconnect timer.
  private Channel current;
  private ScheduledFuture<?> pendingReconnect;
  private int nextAddress;
  private boolean closed;
  private final HeldProposals held;

  PeerConnection(
      long clusterId,
      long selfId,
      long peerId,
      List<Address> addresses,
      Bootstrap bootstrap,
      TransportConfig config,
      PeerEvents events) {
    this.selfId = selfId;
    this.peerId = peerId;
    this.addresses = List.copyOf(addresses);
    this.bootstrap = bootstrap;
    this.config = config;
    this.events = events;
    this.hello = Hello.newBuilder().setClusterId(clusterId).setFrom(selfId).setTo(peerId).build();
    this.backoff = new Backoff(config.reconnectMinMillis(), config.reconnectMaxMillis());
    this.held = new HeldProposals(config.maxQueuedMessages(), config.maxQueuedBytes());
  }

  synchronized void connect() {
    pendingReconnect = null;
    if (closed || current != null) {
      return;
    }
    final Address address = addresses.get(nextAddress);
    nextAddress = (nextAddress + 1) % addresses.size();
    final PeerConnection self = this;
    final ChannelFuture connecting =
        bootstrap
            .clone()
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (address.tls() != null) {
                      // name and port make the engine check the peer's certificate names
                      channel.pipeline().addLast("tls", address.tls().newHandler(channel.alloc(),
                          address.tlsName(), address.socket().getPort()));
                    }
                    Pipelines.install(channel.pipeline(), config, new OutboundHandler(self, hello));
                  }
                })
            .connect(address.socket());
    if (connecting.isDone() && !connecting.channel().isRegistered()) {
      // No socket at all (out of file descriptors, say): Netty hands back a stand-in that no
      // event loop owns, which can be neither closed nor waited on. Holding it as the current
      // connection stopped every later dial: the peer stayed unreachable until a restart.
      LOG.log(Level.WARNING, "member {0}: cannot dial peer {1} at {2}: {3}", Ids.hex(selfId),
          Ids.hex(peerId), address.socket(), String.valueOf(connecting.cause()));
      scheduleReconnect();
      return;
    }
    // current is set before the listener is added: a connect that fails at once must find it.
    current = connecting.channel();
    connecting.addListener(
        attempt -> {
          if (!attempt.isSuccess()) {
            connecting.channel().close();
          }
        });
    connecting.channel().closeFuture().addListener(done -> onClosed(connecting.channel()));
  }

  /**
   * The peer's URLs changed (member update). A working connection is kept: the peer listens where
   * it did until it restarts, and etcd too keeps its streams and uses new URLs for the next dial.
   * Without one, the dial under way or waiting out its back-off is for the old URLs, so the new
   * ones are dialled now.
   */
  synchronized void retarget(List<Address> newAddresses) {
    addresses = List.copyOf(newAddresses);
    nextAddress = 0;
    if (closed || isConnected()) {
      return;
    }
    if (pendingReconnect != null) {
      pendingReconnect.cancel(false);
      pendingReconnect = null;
    }
    final Channel abandoned = current;
    current = null; // so that its close schedules no reconnect of its own
    if (abandoned != null) {
      abandoned.close();
    }
    backoff.reset();
    connect();
  }

  boolean isConnected() {
    final Channel channel = ready;
    return channel != null && channel.isActive();
  }

  /** The connection messages go out on now, or null (for tests). */
  Channel readyChannel() {
    return ready;
  }

  boolean send(Message message) {
    Channel channel = ready;
    if ((channel == null || !channel.isActive()) && message.getType() == MessageType.MSG_PROP) {
      synchronized (this) {
        channel = ready; // onAccepted sends what is held under this monitor, then sets ready
        if ((channel == null || !channel.isActive()) && !closed
            && held.hold(message, System.nanoTime())) {
          return true;
        }
      }
    }
    if (channel == null || !channel.isActive() || !channel.isWritable()) {
      dropped(message);
      return false;
    }
    return write(channel, message);
  }

  private boolean write(Channel channel, Message message) {
    if (queued.incrementAndGet() > config.maxQueuedMessages()) {
      queued.decrementAndGet();
      dropped(message);
      return false;
    }
    channel
        .writeAndFlush(message)
        .addListener(
            written -> {
              queued.decrementAndGet();
              if (message.getType() == MessageType.MSG_SNAP) {
                events.snapshotSent(peerId, !written.isSuccess());
              }
              if (!written.isSuccess()) {
                LOG.log(
                    Level.DEBUG,
                    "member {0}: a {1} to peer {2} was lost: {3}",
                    Ids.hex(selfId),
                    message.getType(),
                    Ids.hex(peerId),
                    written.cause());
                events.unreachable(peerId);
              }
            });
    return true;
  }

  private void dropped(Message message) {
    events.unreachable(peerId);
    if (message.getType() == MessageType.MSG_SNAP) {
      events.snapshotSent(peerId, true);
    }
  }

  synchronized void onAccepted(Channel channel, long memberId) {
    if (closed || channel != current) {
      channel.close();
      return;
    }
    if (memberId != peerId) {
      LOG.log(
          Level.WARNING,
          "member {0}: the peer at {1} is member {2}, not member {3}; check the peer URLs",
          Ids.hex(selfId),
          channel.remoteAddress(),
          Ids.hex(memberId),
          Ids.hex(peerId));
      channel.close();
      return;
    }
    backoff.reset();
    for (Message proposal : held.takeAll(System.nanoTime())) {
      write(channel, proposal);
    }
    ready = channel;
    LOG.log(
        Level.INFO,
        "member {0} connected to peer {1} at {2}",
        Ids.hex(selfId),
        Ids.hex(peerId),
        channel.remoteAddress());
  }

  void onRefused(Channel channel, Refused refusal) {
    LOG.log(
        Level.WARNING,
        "member {0}: peer {1} at {2} refused our connection: {3}",
        Ids.hex(selfId),
        Ids.hex(peerId),
        channel.remoteAddress(),
        refusal.getReason());
    channel.close();
    if (refusal.getCallerRemoved()) {
      events.removedFromCluster(peerId);
    }
  }

  void onProtocolError(Channel channel, String problem) {
    LOG.log(
        Level.WARNING,
        "member {0}: closing the connection to peer {1}: {2}",
        Ids.hex(selfId),
        Ids.hex(peerId),
        problem);
    channel.close();
  }

  private synchronized void onClosed(Channel channel) {
    if (ready == channel) {
      ready = null;
      LOG.log(
          Level.INFO,
          "member {0} lost its connection to peer {1}",
          Ids.hex(selfId),
          Ids.hex(peerId));
    }
    if (channel != current) {
      return;
    }
    current = null;
    scheduleReconnect();
  }

  private synchronized void scheduleReconnect() {
    if (!closed && pendingReconnect == null) {
      pendingReconnect =
          bootstrap
              .config()
              .group()
              .schedule(this::connect, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
    }
  }

  void close() {
    final Channel channel;
    synchronized (this) {
      closed = true;
      held.clear();
      if (pendingReconnect != null) {
        pendingReconnect.cancel(false);
        pendingReconnect = null;
      }
      channel = current;
      ready = null;
    }
    if (channel != null) {
      channel.close();
    }
  }
}
