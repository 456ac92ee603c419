package io.v2store.raft.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.v2store.raft.SnapshotSink;
import io.v2store.raft.pb.Message;
import io.v2store.raft.transport.pb.Frame;
import io.v2store.raft.transport.pb.Hello;
import io.v2store.raft.transport.pb.HelloAccepted;
import io.v2store.raft.transport.pb.Refused;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The listening side of one peer connection: checks the caller's Hello (same cluster, calling
 * us, not a removed member), then delivers its messages. One instance per accepted connection.
 */
final class InboundHandler extends SimpleChannelInboundHandler<Frame> {
  private static final System.Logger LOG = System.getLogger(InboundHandler.class.getName());

  private final long clusterId;
  private final long selfId;
  private final Set<Long> removedPeers;
  private final Consumer<Message> inbound;
  private final Runnable readComplete;
  private final SnapshotAssembler assembler;
  private final java.util.function.Supplier<byte[]> clusterInfo;
  private long peerId;
  private boolean refused;
  /** A message was delivered since the last end of a read. */
  private boolean delivered;

  InboundHandler(
      long clusterId,
      long selfId,
      Set<Long> removedPeers,
      Consumer<Message> inbound,
      Runnable readComplete,
      long maxSnapshotBytes,
      SnapshotSink snapshotSink,
      java.util.function.Supplier<byte[]> clusterInfo) {
    super(Frame.class);
    this.clusterInfo = clusterInfo;
    this.clusterId = clusterId;
    this.selfId = selfId;
    this.removedPeers = removedPeers;
    this.inbound = inbound;
    this.readComplete = readComplete;
    this.assembler = new SnapshotAssembler(maxSnapshotBytes, snapshotSink);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (refused) {
      return;
    }
    if (peerId == 0) {
      greet(ctx, frame);
      return;
    }
    if (removedPeers.contains(peerId)) {
      refuseRemoved(ctx, peerId);
      return;
    }
    switch (frame.getBodyCase()) {
      case MESSAGE -> {
        if (frame.getMessage().getSnapshot().hasDataFile()) {
          // A peer never names a file of ours: a snapshot's data arrives in it or in chunks.
          LOG.log(Level.WARNING, "member {0} dropped a {1} from member {2} naming a file",
              Ids.hex(selfId), frame.getMessage().getType(), Ids.hex(peerId));
          return;
        }
        deliver(frame.getMessage());
      }
      case SNAPSHOT_CHUNK -> {
        final Message whole = assembler.accept(frame.getSnapshotChunk());
        if (whole != null) {
          deliver(whole);
        }
      }
      default -> throw new IllegalStateException("unexpected " + frame.getBodyCase() + " frame");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    assembler.abort(); // a snapshot cut off midway: its file goes
    ctx.fireChannelInactive();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (delivered) {
      delivered = false;
      try {
        readComplete.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "member " + Ids.hex(selfId) + " failed to take messages", e);
      }
    }
    ctx.fireChannelReadComplete();
  }

  private void greet(ChannelHandlerContext ctx, Frame frame) {
    if (frame.getBodyCase() != Frame.BodyCase.HELLO) {
      refuse(ctx, "expected a hello, got " + frame.getBodyCase());
      return;
    }
    final Hello hello = frame.getHello();
    if (hello.getClusterId() == 0 && hello.getFrom() == 0 && hello.getTo() == 0) {
      answerJoinQuery(ctx);
      return;
    }
    final String problem = problemWith(hello);
    if (problem != null) {
      refuse(ctx, problem);
      return;
    }
    if (removedPeers.contains(hello.getFrom())) {
      refuseRemoved(ctx, hello.getFrom());
      return;
    }
    peerId = hello.getFrom();
    // A peer's connection is quiet between messages (TCP keep-alive watches it); until now a
    // caller that stopped midway through its hello held one of the port's few connections.
    if (ctx.pipeline().get(UntilPeerIdleClose.NAME) != null) {
      ctx.pipeline().remove(UntilPeerIdleClose.NAME);
    }
    ctx.writeAndFlush(
        Frame.newBuilder().setAccepted(HelloAccepted.newBuilder().setMemberId(selfId)).build());
    LOG.log(
        Level.INFO,
        "member {0} accepted a peer connection from member {1} at {2}",
        Ids.hex(selfId),
        Ids.hex(peerId),
        ctx.channel().remoteAddress());
  }

  /** A joining member asks which cluster this is and who is in it; answer, then hang up. */
  private void answerJoinQuery(ChannelHandlerContext ctx) {
    refused = true; // nothing else is served on this connection
    final HelloAccepted answer = HelloAccepted.newBuilder()
        .setMemberId(selfId)
        .setClusterId(clusterId)
        .setClusterInfo(com.google.protobuf.ByteString.copyFrom(clusterInfo.get()))
        .build();
    ctx.writeAndFlush(Frame.newBuilder().setAccepted(answer).build())
        .addListener(ChannelFutureListener.CLOSE);
    LOG.log(Level.INFO, "member {0} told a joining member at {1} about the cluster",
        Ids.hex(selfId), ctx.channel().remoteAddress());
  }

  private String problemWith(Hello hello) {
    if (hello.getClusterId() != clusterId) {
      return "cluster id mismatch: caller's "
          + Ids.hex(hello.getClusterId())
          + ", ours "
          + Ids.hex(clusterId);
    }
    if (hello.getTo() != selfId) {
      return "caller expected member " + Ids.hex(hello.getTo()) + ", this is " + Ids.hex(selfId);
    }
    if (hello.getFrom() == 0 || hello.getFrom() == selfId) {
      return "invalid caller member id " + Ids.hex(hello.getFrom());
    }
    return null;
  }

  private void deliver(Message message) {
    if (message.getFrom() != peerId || message.getTo() != selfId) {
      LOG.log(
          Level.WARNING,
          "member {0} dropped a {1} from {2} to {3} on the connection of member {4}",
          Ids.hex(selfId),
          message.getType(),
          Ids.hex(message.getFrom()),
          Ids.hex(message.getTo()),
          Ids.hex(peerId));
      discardDataFile(message);
      return;
    }
    delivered = true;
    try {
      inbound.accept(message);
    } catch (RuntimeException e) {
      discardDataFile(message);
      LOG.log(Level.WARNING, "member " + Ids.hex(selfId) + " failed to take a message", e);
    }
  }

  private static void discardDataFile(Message message) {
    if (message.getSnapshot().hasDataFile()) {
      SnapshotSink.discard(message.getSnapshot().getDataFile());
    }
  }

  private void refuseRemoved(ChannelHandlerContext ctx, long caller) {
    refuse(ctx, Refused.newBuilder().setCallerRemoved(true)
        .setReason("member " + Ids.hex(caller) + " was removed from the cluster").build());
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    refuse(ctx, Refused.newBuilder().setReason(reason).build());
  }

  private void refuse(ChannelHandlerContext ctx, Refused refusal) {
    refused = true;
    LOG.log(
        Level.WARNING,
        "member {0} refused a peer connection from {1}: {2}",
        Ids.hex(selfId),
        ctx.channel().remoteAddress(),
        refusal.getReason());
    ctx.writeAndFlush(Frame.newBuilder().setRefused(refusal).build())
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(
        Level.WARNING,
        "member {0} closed the peer connection from {1}: {2}",
        Ids.hex(selfId),
        peerId == 0 ? ctx.channel().remoteAddress() : "member " + Ids.hex(peerId),
        cause.toString());
    ctx.close();
  }
}
