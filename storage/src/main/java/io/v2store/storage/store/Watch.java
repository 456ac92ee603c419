package io.v2store.storage.store;

/**
 * The outcome of registering a watch.
 *
 * <p>If {@link #immediate()} is non-null the watch was satisfied from the event history and was
 * not registered (a stream watch answered from history gets that one event only: etcd's quirk).
 * Otherwise the sink will receive matching events until it returns false, the watch is one-shot
 * and got its event, or {@link #cancel()} is called.
 */
public interface Watch {
  /** The history event that answers this watch at once, or null if it was registered. */
  Event immediate();

  /** The etcd index at registration: the X-Etcd-Index of a watch response that had to wait. */
  long startIndex();

  /** Removes the watcher (client went away). Idempotent; safe from any thread. */
  void cancel();
}
