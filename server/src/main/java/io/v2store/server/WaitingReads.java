package io.v2store.server;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quorum reads still waiting for their read point, so that a stopping member can answer them
 * (etcd 3.4 puts a v2 quorum read through the log and answers it "server stopped" at a stop, as a
 * write). A read answered at once, the lease's usual case, is never held here.
 */
final class WaitingReads {
  private final Set<CompletableFuture<Void>> waiting = ConcurrentHashMap.newKeySet();
  private volatile RuntimeException stopped;

  /** read, held until it completes; failed at once if the member already stops. */
  CompletableFuture<Void> track(CompletableFuture<Void> read) {
    if (read.isDone()) return read;
    waiting.add(read);
    read.whenComplete((value, error) -> waiting.remove(read));
    RuntimeException error = stopped;
    if (error != null) read.completeExceptionally(error);
    return read;
  }

  /** Fails every read waiting, and every one tracked from now on, with error. */
  void stop(RuntimeException error) {
    stopped = error;
    for (CompletableFuture<Void> read : waiting) read.completeExceptionally(error);
  }
}
