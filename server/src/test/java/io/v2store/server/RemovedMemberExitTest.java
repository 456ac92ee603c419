package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A member told it was removed from the cluster stops even where no thread can be made to stop
 * in (a thread limit reached): the Error went to the peer connection that was refused, the
 * member said it was removed once and ran on, serving reads of a cluster that had moved on.
 */
class RemovedMemberExitTest {
  @Test
  void aRemovedMemberThatCannotMakeItsExitThreadHalts() {
    AtomicInteger halted = new AtomicInteger(-1);
    Thread cannotStart = new Thread(() -> {}, "removed-from-cluster") {
      @Override
      public synchronized void start() {
        throw new OutOfMemoryError("unable to create native thread: possibly out of memory or "
            + "process/resource limits reached");
      }
    };
    EtcdMain.exitOnItsOwnThread(cannotStart, halted::set);
    assertEquals(0, halted.get(), "halted, with the status of a removed member's exit");
  }

  @Test
  void aRemovedMemberExitsOnAThreadOfItsOwn() throws Exception {
    AtomicInteger halted = new AtomicInteger(-1);
    AtomicInteger ran = new AtomicInteger();
    Thread exit = new Thread(ran::incrementAndGet, "removed-from-cluster");
    EtcdMain.exitOnItsOwnThread(exit, halted::set);
    exit.join(10_000);
    assertEquals(1, ran.get());
    assertEquals(-1, halted.get(), "not halted when the thread could be made");
  }
}
