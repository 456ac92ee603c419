package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.v2store.storage.store.Event;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer to a read, built in a buffer from the connection's allocator. */
class KeysResponsesTest {
  /** An allocator whose buffers cannot grow past a limit, as when direct memory runs out. */
  private static final class ScarceAllocator extends AbstractByteBufAllocator {
    final List<ByteBuf> handedOut = new ArrayList<>();

    ScarceAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity) {
        @Override
        public ByteBuf capacity(int newCapacity) {
          if (newCapacity > 4096) throw new OutOfMemoryError("Cannot reserve direct memory");
          return super.capacity(newCapacity);
        }
      };
      handedOut.add(b);
      return b;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  /**
   * A listing that cannot be built for want of memory gives back what it took: before, each
   * such failure kept its half-filled buffer for good, and a member whose slow readers of a
   * large directory had run it short of direct memory soon answered no listing at all.
   */
  @Test
  void aListingThatRunsOutOfMemoryGivesBackItsBuffer() {
    try (DirectBackend backend = new DirectBackend()) {
      for (int i = 0; i < 200; i++) {
        backend.keySpace().set("/dir/key" + i, false, "value" + i, 0, false);
      }
      Event listing = backend.keySpace().get("/dir", true, false);
      KeysResponses responses =
          new KeysResponses(backend, new EventJsonEncoder(Clock.systemUTC()));
      EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
      ScarceAllocator alloc = new ScarceAllocator();
      channel.config().setAllocator(alloc);

      assertThrows(OutOfMemoryError.class, () -> responses.sendEvent(
          channel.pipeline().firstContext(), false, listing, false));

      assertEquals(1, alloc.handedOut.size());
      assertEquals(0, alloc.handedOut.get(0).refCnt(), "the buffer was given back");
      channel.finishAndReleaseAll();
    }
  }

}
