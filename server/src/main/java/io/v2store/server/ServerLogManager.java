package io.v2store.server;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager resets (closes every handler) in its own shutdown hook, which races with
 * ours: the lines a stopping member writes (leadership hand-over, "stopped") would be lost. This
 * one ignores that reset; the process is exiting anyway.
 */
public final class ServerLogManager extends LogManager {
  @Override
  public void reset() {
    // Keep handlers open until the JVM is gone.
  }
}
