package io.v2store.storage.store;

/**
 * Where a registered watcher's events go (the HTTP layer's parked response). Called on the apply
 * thread, in index order; must not block.
 */
public interface WatchSink {
  /**
   * Delivers one matching event. Returns false when the watcher is gone (client disconnected,
   * or too slow to keep up) so the hub drops it at once.
   */
  boolean deliver(Event event);
}
