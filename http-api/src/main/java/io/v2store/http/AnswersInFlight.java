package io.v2store.http;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many requests the client listeners are answering now, over every connection, so that a
 * stopping server answers them before it closes their connections, as etcd's (Go's
 * {@code http.Server.Shutdown}) does: a write a follower had forwarded got no answer at all when
 * its member was stopped, although the write was committed. Once stopping, a connection is
 * closed after its answer instead of being kept for another request.
 */
final class AnswersInFlight {
  /** A LongAdder: every request of every event loop counts here, and one shared counter
   * would bounce its cache line between the cores twice per request. */
  private final LongAdder answering = new LongAdder();
  private volatile boolean stopping;

  void started() {
    answering.increment();
  }

  void finished() {
    answering.decrement();
  }

  boolean stopping() {
    return stopping;
  }

  /**
   * Marks the server stopping and waits, at most maxWaitMillis, for the answers under way. Each
   * round first runs cutParked: a keep-alive connection may still bring a watch after the parked
   * ones were cut, and a watch is answered by an event, not by waiting.
   */
  void stopAndAwait(long maxWaitMillis, Runnable cutParked) {
    stopping = true;
    long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
    while (true) {
      cutParked.run();
      if (answering.sum() <= 0 || System.nanoTime() >= deadline) return;
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
