package io.v2store.storage.store;

import java.util.function.Function;

/**
 * The record of one store operation: what a writer gets back, what watchers receive, and what the
 * event history keeps. Immutable, except for a memo slot that lets the HTTP layer serialise an
 * event once and hand the same bytes to every watcher it wakes, and the clock its ttl fields are
 * shown against, set by the key space before the event is published.
 */
public final class Event {
  private final Action action;
  private final NodeView node;
  private final NodeView prevNode;
  private final long index;
  private final boolean refresh;
  private volatile long ttlClockNanos;
  private volatile Object encoded;

  /**
   * @param index the etcd index this operation produced (for get: the current index)
   * @param refresh a refresh=true write: never wakes watchers, skipped by history scans
   */
  public Event(Action action, NodeView node, NodeView prevNode, long index, boolean refresh) {
    this.action = action;
    this.node = node;
    this.prevNode = prevNode;
    this.index = index;
    this.refresh = refresh;
  }

  public Action action() {
    return action;
  }

  public NodeView node() {
    return node;
  }

  /** null when the operation replaced, modified or removed nothing. */
  public NodeView prevNode() {
    return prevNode;
  }

  public long index() {
    return index;
  }

  public boolean isRefresh() {
    return refresh;
  }

  /**
   * The clock (unix epoch nanoseconds) its ttl fields are shown against, or 0 when they are
   * shown against the reader's: etcd computes an event's ttl once, when the event is made, so
   * the same event read later from the history shows the same ttl, and an expire event's
   * prevNode none.
   */
  public long ttlClockNanos() {
    return ttlClockNanos;
  }

  /** Sets {@link #ttlClockNanos()}: the key space or its snapshot reader, before anyone sees it. */
  void fixTtlClock(long epochNanos) {
    this.ttlClockNanos = epochNanos;
  }

  /** Whether this event created a node where none was (HTTP 201 for set/create). */
  public boolean isCreated() {
    return action == Action.CREATE || (action == Action.SET && prevNode == null);
  }

  /**
   * The event's serialised form, computed by encoder on first use and shared afterwards. Callers
   * must always pass the same encoder (the HTTP layer's JSON writer).
   */
  @SuppressWarnings("unchecked")
  public <T> T encoded(Function<Event, T> encoder) {
    Object e = encoded;
    if (e == null) {
      synchronized (this) {
        e = encoded;
        if (e == null) {
          e = encoder.apply(this);
          encoded = e;
        }
      }
    }
    return (T) e;
  }
}
