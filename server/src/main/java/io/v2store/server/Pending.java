package io.v2store.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proposals made by this member and not yet applied, keyed by request id. The apply thread
 * completes them; a proposal made elsewhere simply has no entry here.
 */
final class Pending<T> {
  private final ConcurrentHashMap<Long, CompletableFuture<T>> byId = new ConcurrentHashMap<>();
  private volatile RuntimeException stopped;

  /** A proposal's result; already failed once {@link #stop} was called. */
  CompletableFuture<T> register(long id) {
    CompletableFuture<T> result = new CompletableFuture<>();
    byId.put(id, result);
    // However it ends (applied, refused, timed out), it no longer waits here.
    result.whenComplete((value, error) -> byId.remove(id, result));
    RuntimeException error = stopped;
    if (error != null) result.completeExceptionally(error);
    return result;
  }

  void succeeded(long id, T value) {
    CompletableFuture<T> waiting = byId.get(id);
    if (waiting != null) waiting.complete(value);
  }

  void failed(long id, RuntimeException error) {
    CompletableFuture<T> waiting = byId.get(id);
    if (waiting != null) waiting.completeExceptionally(error);
  }

  int size() {
    return byId.size();
  }

  void failAll(RuntimeException error) {
    for (CompletableFuture<T> waiting : byId.values()) waiting.completeExceptionally(error);
  }

  /** Fails every proposal waiting, and every one registered from now on, with error. */
  void stop(RuntimeException error) {
    stopped = error;
    failAll(error);
  }
}
