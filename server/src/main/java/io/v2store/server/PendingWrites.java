package io.v2store.server;

import io.v2store.storage.store.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes proposed by this member and not yet applied, keyed by request id. The apply thread
 * completes them; a write proposed elsewhere simply has no entry here.
 */
final class PendingWrites {
  private final ConcurrentHashMap<Long, CompletableFuture<Event>> byId = new ConcurrentHashMap<>();

  CompletableFuture<Event> register(long id) {
    CompletableFuture<Event> result = new CompletableFuture<>();
    byId.put(id, result);
    // However the write ends (applied, refused, timed out), it no longer waits here.
    result.whenComplete((event, error) -> byId.remove(id, result));
    return result;
  }

  void succeeded(long id, Event event) {
    CompletableFuture<Event> waiting = byId.get(id);
    if (waiting != null) waiting.complete(event);
  }

  void failed(long id, RuntimeException error) {
    CompletableFuture<Event> waiting = byId.get(id);
    if (waiting != null) waiting.completeExceptionally(error);
  }

  int size() {
    return byId.size();
  }

  void failAll(RuntimeException error) {
    for (CompletableFuture<Event> waiting : byId.values()) waiting.completeExceptionally(error);
  }
}
