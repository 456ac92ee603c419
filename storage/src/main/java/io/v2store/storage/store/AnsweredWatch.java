package io.v2store.storage.store;

/** A watch answered from the event history: never registered, so nothing to cancel. */
record AnsweredWatch(Event immediate, long startIndex) implements Watch {
  @Override
  public void cancel() {}
}
