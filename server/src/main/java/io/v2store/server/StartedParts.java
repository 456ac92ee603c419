package io.v2store.server;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a member's start has opened or started so far, to be closed, newest first, if the start
 * fails. The binary exits then anyway; a process that starts members in itself (tests, an
 * embedding program) would otherwise keep a raft thread, a bound peer port and an open log,
 * whose lock refuses the next start on that data dir.
 */
final class StartedParts {
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();

  <T extends AutoCloseable> T add(T part) {
    parts.push(part);
    return part;
  }

  /** Closes everything added, newest first; what a close throws is kept with the cause. */
  void closeAfter(Throwable cause) {
    while (!parts.isEmpty()) {
      try {
        parts.pop().close();
      } catch (Exception | Error e) {
        cause.addSuppressed(e);
      }
    }
  }
}
