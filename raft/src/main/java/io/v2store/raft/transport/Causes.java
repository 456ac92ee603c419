package io.v2store.raft.transport;

/** Words for an error that libraries wrap in errors of their own. */
public final class Causes {
  private Causes() {}

  /**
   * The innermost cause's message, or the outermost's when a cause has none: Netty wraps a native
   * library that would not load (dlopen's own reason) in two errors of its own words.
   */
  public static String innermostMessage(Throwable error) {
    String message = String.valueOf(error);
    // bounded: a chain of causes can be made to loop
    Throwable t = error;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t.getMessage() != null) message = t.getMessage();
    }
    return message;
  }
}
