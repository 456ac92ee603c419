package io.v2store.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Says, at most once a minute, that answers failed for want of memory. An answer is built in
 * direct memory, which the JVM bounds by the heap's size, and slow readers of large listings hold
 * theirs until they read them: one that cannot be built closes its connection, and the client
 * sees only that, so without this line the operator saw nothing at all.
 */
final class ShortOfMemoryLog {
  private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  private final Logger log;
  private final AtomicLong failed = new AtomicLong();
  private volatile long loggedAt;
  private volatile boolean logged;

  ShortOfMemoryLog(Logger log) {
    this.log = log;
  }

  /** An answer for remote failed with cause. True when this call wrote the line. */
  boolean report(OutOfMemoryError cause, String remote) {
    long count = failed.incrementAndGet();
    long now = System.nanoTime();
    synchronized (this) {
      if (logged && now - loggedAt < INTERVAL_NANOS) return false;
      logged = true;
      loggedAt = now;
    }
    log.log(Level.WARNING, "an answer could not be built for want of memory (" + cause.getMessage()
        + "): the connection from " + remote + " was closed (" + count + " such answers so far)");
    return true;
  }
}
