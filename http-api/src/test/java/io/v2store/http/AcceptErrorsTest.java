package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.v2store.raft.transport.AcceptErrors;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A listener that cannot accept (out of file descriptors) stops accepting for a second, as Go's
 * server does, instead of retrying in a spin, and the error goes no further down the pipeline.
 */
class AcceptErrorsTest {
  @Test
  void anAcceptErrorPausesTheListenerForASecond() {
    EmbeddedChannel listener = new EmbeddedChannel(new AcceptErrors());
    listener.freezeTime();
    listener.pipeline().fireExceptionCaught(
        new IOException("accept(..) failed with error(-24): Too many open files"));
    listener.checkException(); // handled, not left at the tail
    assertFalse(listener.config().isAutoRead(), "paused");
    listener.advanceTimeBy(AcceptErrors.PAUSE_MILLIS - 1, TimeUnit.MILLISECONDS);
    listener.runScheduledPendingTasks();
    assertFalse(listener.config().isAutoRead(), "still paused");
    listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    listener.runScheduledPendingTasks();
    assertTrue(listener.config().isAutoRead(), "accepting again");
    listener.finishAndReleaseAll();
  }
}
