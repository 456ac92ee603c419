package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.LastHttpContent;
import io.v2store.storage.store.KeySpace;
import java.lang.ref.WeakReference;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A parked watch on a keep-alive connection: what stays behind once it is answered. */
class WatchResponderTest {
  private final EventJsonEncoder encoder = new EventJsonEncoder(Clock.systemUTC());

  /**
   * confd re-arms a watch on the same connection after every change, for as long as it runs. An
   * answered watch must not stay reachable from the connection, or each change leaks one.
   */
  @Test
  void anAnsweredWatchIsNotHeldByItsStillOpenConnection() throws Exception {
    KeySpace keys = new KeySpace(100);
    ParkedWatches parked = new ParkedWatches();
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    ChannelHandlerContext ctx = channel.pipeline().firstContext();

    WeakReference<WatchResponder> answered = armAndAnswer(keys, parked, ctx, channel);

    assertEquals(0, parked.size());
    assertTrue(channel.isOpen());
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (answered.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertEquals(null, answered.get(), "the open connection still holds the answered watch");
    channel.finishAndReleaseAll();
  }

  @Test
  void closingTheConnectionStillCancelsAParkedWatch() {
    KeySpace keys = new KeySpace(100);
    ParkedWatches parked = new ParkedWatches();
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    WatchResponder responder = new WatchResponder(channel.pipeline().firstContext(), false,
        encoder::encodeShared, parked);
    responder.parked(keys.watch("/k", false, false, 0, responder));
    assertEquals(1, keys.stats().watchers());

    channel.close();

    assertEquals(0, keys.stats().watchers());
    assertEquals(0, parked.size());
  }

  private WeakReference<WatchResponder> armAndAnswer(KeySpace keys, ParkedWatches parked,
      ChannelHandlerContext ctx, EmbeddedChannel channel) {
    WatchResponder responder = new WatchResponder(ctx, false, encoder::encodeShared, parked);
    responder.parked(keys.watch("/k", false, false, 0, responder));
    assertEquals(1, parked.size());
    keys.set("/k", false, "v", 0, false);
    channel.runPendingTasks();
    LastHttpContent written = channel.readOutbound();
    assertTrue(written.content().readableBytes() > 0, "the event was written");
    written.release();
    return new WeakReference<>(responder);
  }
}
