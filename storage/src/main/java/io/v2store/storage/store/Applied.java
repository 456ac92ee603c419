package io.v2store.storage.store;

/**
 * The outcome of one successful mutation: its event and, for a delete, compareAndDelete or
 * expire, the node that was removed (its detached subtree locates watchers of descendants).
 */
record Applied(Event event, Node removed) {}
