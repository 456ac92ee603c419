package io.v2store.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every watch response currently open, so shutdown can end them and metrics can count them. */
final class ParkedWatches {
  private final Set<WatchResponder> open = ConcurrentHashMap.newKeySet();

  void add(WatchResponder responder) {
    open.add(responder);
  }

  void remove(WatchResponder responder) {
    open.remove(responder);
  }

  int size() {
    return open.size();
  }

  /** Ends every parked response with an empty final chunk (clients read it as "retry"). */
  void endAll() {
    for (WatchResponder responder : open.toArray(new WatchResponder[0])) {
      responder.endForShutdown();
    }
  }
}
