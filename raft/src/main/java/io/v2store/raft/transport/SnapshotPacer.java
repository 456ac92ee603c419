package io.v2store.raft.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.stream.ChunkedInput;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Writes a snapshot's chunk frames (a {@link ChunkedInput} from {@link MessageFramer}) one at a
 * time, the next only once the previous is on the socket, and lets every other frame go out at
 * once, ahead of the chunks still to come. A snapshot shares its peer's one connection with the
 * heartbeats and appends: queued in turn behind it (as ChunkedWriteHandler queues every write),
 * a snapshot that took longer than an election timeout to cross a slow link starved the follower
 * of heartbeats all that time, so that it campaigned, and a leader that had only that follower
 * left in touch stepped down (CheckQuorum). etcd sends snapshots on a connection of their own.
 * Messages sent after a snapshot's write completed still follow all of its chunks.
 *
 * <p>A chunk waiting while nothing at all goes on the socket for the timeout (the peer's process
 * is paused: its kernel keeps the connection open and takes nothing) closes the connection, which
 * fails the snapshot's write: the leader holds its log uncompacted while a snapshot is in flight,
 * and one never reported held it for as long as the peer stayed paused. A chunk behind other
 * frames still crossing a slow link waits as long as they take.
 *
 * <p>A snapshot that fails after some of its chunks went out (its file cut short, a disk error)
 * closes the connection too: the peer holds its first part, in a file, and no frame tells it to
 * drop that; it refused the next snapshot on the connection as one begun before the last ended.
 */
final class SnapshotPacer extends ChannelDuplexHandler {
  private static final System.Logger LOG = System.getLogger(SnapshotPacer.class.getName());

  private record Pending(ChunkedInput<?> input, ChannelPromise promise) {}

  private final long chunkTimeoutMillis;
  private final ArrayDeque<Pending> snapshots = new ArrayDeque<>();
  /** A chunk is written and not yet on the socket. */
  private boolean chunkInFlight;
  /** A chunk of the first snapshot queued is written: the peer holds part of it. */
  private boolean headStarted;
  /** Closes the connection if the chunk in flight waits with nothing going on the socket. */
  private ScheduledFuture<?> watchdog;

  SnapshotPacer(long chunkTimeoutMillis) {
    this.chunkTimeoutMillis = chunkTimeoutMillis;
  }

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
        failHead(ctx, e);
        continue;
      }
      if (chunk == null) { // the end: ours give no chunk only then
        headStarted = false;
        finish(snapshots.poll(), null);
        continue;
      }
      headStarted = true;
      chunkInFlight = true;
      final ChannelFuture write = ctx.writeAndFlush(chunk);
      if (!write.isDone()) watch(ctx, write);
      write.addListener(written -> {
        if (watchdog != null) {
          watchdog.cancel(false);
          watchdog = null;
        }
        chunkInFlight = false;
        if (!written.isSuccess() && snapshots.peek() == pending) { // else failed already
          failHead(ctx, written.cause());
        }
        sendNextChunk(ctx); // Netty bounds how deep completions nest
      });
    }
  }

  /**
   * Checks after the timeout whether the chunk went on the socket or anything ahead of it did: the
   * buffer being written is another (the one before is done: any written since is behind the
   * chunk) or more of it was written (a large one on a slow link).
   */
  private void watch(ChannelHandlerContext ctx, ChannelFuture write) {
    final ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    final Object headBefore = buffer == null ? null : buffer.current();
    final long progressBefore = buffer == null ? 0 : buffer.currentProgress();
    watchdog = ctx.executor().schedule(() -> {
      watchdog = null;
      final ChannelOutboundBuffer now = ctx.channel().unsafe().outboundBuffer();
      if (write.isDone() || now == null) return; // sent, or the connection is closing
      if (now.current() != headBefore || now.currentProgress() != progressBefore) {
        watch(ctx, write);
        return;
      }
      LOG.log(Level.WARNING, "closing the peer connection to {0}: nothing went on it for "
          + chunkTimeoutMillis + " ms while a snapshot waited", ctx.channel().remoteAddress());
      ctx.close();
    }, chunkTimeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Fails the first snapshot queued, closing the connection if the peer holds part of it. */
  private void failHead(ChannelHandlerContext ctx, Throwable failure) {
    final boolean cut = headStarted;
    headStarted = false;
    finish(snapshots.poll(), failure);
    if (cut && ctx.channel().isOpen()) {
      LOG.log(Level.WARNING, "closing the peer connection to {0}: a snapshot failed midway: {1}",
          ctx.channel().remoteAddress(), String.valueOf(failure));
      ctx.close();
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
    headStarted = false;
    for (Pending pending; (pending = snapshots.poll()) != null; ) {
      finish(pending, new ClosedChannelException());
    }
  }
}
