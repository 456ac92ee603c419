package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CausesTest {

  /**
   * The fallback's warning names the innermost cause: Netty wraps a library that would not load
   * (dlopen's "failed to map segment", a noexec /tmp) in errors of its own words.
   */
  @Test
  void theFallbacksReasonIsTheInnermostCauseWithWords() {
    Throwable dlopen = new UnsatisfiedLinkError("/tmp/libx.so: failed to map segment from shared object");
    Throwable wrapped = new IllegalStateException("failed to load the required native library",
        new UnsatisfiedLinkError("could not load a native library: x").initCause(dlopen));
    assertEquals("/tmp/libx.so: failed to map segment from shared object", Causes.innermostMessage(wrapped));
    assertEquals("outer", Causes.innermostMessage(new IllegalStateException("outer", new NullPointerException())));
    assertEquals("java.lang.NullPointerException", Causes.innermostMessage(new NullPointerException()));
    Throwable a = new IllegalStateException("a");
    Throwable b = new IllegalStateException("b", a);
    a.initCause(b); // a loop of causes still ends
    assertEquals("b", Causes.innermostMessage(a));
  }
}
