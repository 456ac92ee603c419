package io.v2store.raft.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.stream.ChunkedInput;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * Writes a snapshot's chunk frames (a {@link ChunkedInput} from {@link MessageFramer}) one at a
 * time, the next only once the previous is on the socket, and lets every other frame go out at
 * once, ahead of the chunks still to come. A snapshot shares its peer's one connection with the
 * heartbeats and appends: queued in turn behind it (as ChunkedWriteHandler queues every write),
 * a snapshot that took longer than an election timeout to cross a slow link starved the follower
 * of heartbeats all that time, so that it campaigned, and a leader that had only that follower
 * left in touch stepped down (CheckQuorum). etcd sends snapshots on a connection of their own.
 * Messages sent after a snapshot's write completed still follow all of its chunks.
 */
final class SnapshotPacer extends ChannelDuplexHandler {
  private record Pending(ChunkedInput<?> input, ChannelPromise promise) {}

  private final ArrayDeque<Pending> snapshots = new ArrayDeque<>();
  /** A chunk is written and not yet on the socket. */
  private boolean chunkInFlight;

  @Override
  public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
    if (message instanceof ChunkedInput<?> input) {
      snapshots.add(new Pending(input, promise));
      sendNextChunk(ctx);
    } else {
      ctx.write(message, promise);
    }
  }

  private void sendNextChunk(ChannelHandlerContext ctx) {
    while (!chunkInFlight && !snapshots.isEmpty()) {
      final Pending pending = snapshots.peek();
      final Object chunk;
      try {
        chunk = pending.input().isEndOfInput() ? null : pending.input().readChunk(ctx.alloc());
      } catch (Exception e) {
        finish(snapshots.poll(), e);
        continue;
      }
      if (chunk == null) { // the end: ours give no chunk only then
        finish(snapshots.poll(), null);
        continue;
      }
      chunkInFlight = true;
      ctx.writeAndFlush(chunk).addListener(written -> {
        chunkInFlight = false;
        if (!written.isSuccess()) {
          snapshots.remove(pending);
          finish(pending, written.cause());
        }
        sendNextChunk(ctx); // Netty bounds how deep completions nest
      });
    }
  }

  private static void finish(Pending pending, Throwable failure) {
    try {
      pending.input().close();
    } catch (Exception e) {
      if (failure == null) failure = e;
    }
    if (failure == null) {
      pending.promise().trySuccess();
    } else {
      pending.promise().tryFailure(failure);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    failAll();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    failAll();
  }

  private void failAll() {
    for (Pending pending; (pending = snapshots.poll()) != null; ) {
      finish(pending, new ClosedChannelException());
    }
  }
}
