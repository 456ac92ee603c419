package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * An answer that cannot be built for want of direct memory closes its connection: the member
 * says so in its log (once a minute at most), where the operator saw nothing before.
 */
class ShortOfMemoryLogTest {
  @Test
  void answersThatFailForWantOfMemoryAreLoggedOnceAMinute() {
    try (LogCapture capture =
        new LogCapture(Logger.getLogger(RoutingHandler.class.getName()), Level.WARNING)) {
      List<String> warnings = capture.messages;
      RoutingHandler routing = new RoutingHandler(Map.of(), null, null, null);
      EmbeddedChannel first = new EmbeddedChannel(routing);
      first.pipeline().fireExceptionCaught(
          new OutOfMemoryError("Cannot reserve 16777216 bytes of direct buffer memory"));
      assertFalse(first.isOpen(), "the connection whose answer failed is closed");
      EmbeddedChannel second = new EmbeddedChannel(routing);
      second.pipeline().fireExceptionCaught(
          new OutOfMemoryError("Cannot reserve 16777216 bytes of direct buffer memory"));
      assertFalse(second.isOpen());
      assertEquals(1, warnings.size(), "one line a minute: " + warnings);
      assertTrue(warnings.get(0).contains("for want of memory (Cannot reserve 16777216 bytes"),
          warnings.get(0));

      EmbeddedChannel reset = new EmbeddedChannel(routing);
      reset.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
      assertFalse(reset.isOpen());
      assertEquals(1, warnings.size(), "a client that went away is nothing to log: " + warnings);
    }
  }
}
