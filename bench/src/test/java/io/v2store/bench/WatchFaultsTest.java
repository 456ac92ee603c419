package io.v2store.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Watch runs against a server that fails, loses or cuts what a test tells it to. The runs wait
 * for missing events 1 s after the writer rather than the default 10 s: the waits below are
 * measured against that drain.
 */
class WatchFaultsTest {
  private static final String DRAIN = "1s";
  private final Runner runner = new Runner(new PrintStream(new ByteArrayOutputStream(), true));

  private RunResult watch(FakeWatchServer.Script script, String... flags) throws Exception {
    try (FakeWatchServer server = new FakeWatchServer(script)) {
      String[] common = {"watch", "--endpoints", server.endpoint(), "--watchers", "3",
          "--write-rate", "100", "--warmup", "50ms", "--drain", DRAIN, "--no-progress"};
      String[] args = new String[common.length + flags.length];
      System.arraycopy(common, 0, args, 0, common.length);
      System.arraycopy(flags, 0, args, common.length, flags.length);
      BenchConfig config = assertInstanceOf(BenchArgs.Single.class, BenchArgs.parse(args))
          .config();
      return assertTimeoutPreemptively(Duration.ofSeconds(45), () -> runner.run(config));
    }
  }

  private static FakeWatchServer.Script at(int seq, FakeWatchServer.Write what) {
    return s -> s == seq ? what : FakeWatchServer.Write.OK;
  }

  @Test
  void everyWatcherHasEveryWriteFromTheFake() throws Exception {
    RunResult r = watch(s -> FakeWatchServer.Write.OK, "--requests", "5");
    assertEquals(5, r.requests(), r.toText());
    assertEquals(0, r.errors(), r.toText());
    assertEquals(0, r.missedEvents(), r.toText());
    assertEquals(5, r.latency().count(), r.toText());
  }

  /** A writer whose connection the server closes ends the run at once, with the reason. */
  @Test
  void aClosedWriterConnectionEndsTheRunAndIsAnError() throws Exception {
    RunResult r = watch(at(2, FakeWatchServer.Write.CLOSE), "--requests", "5");
    assertEquals(2, r.requests(), r.toText());
    assertEquals(0, r.missedEvents(), r.toText());
    assertTrue(r.errorKinds().stream().anyMatch(k -> k.kind().equals("write: connection closed")),
        r.toText());
  }

  /** A failed write shifts the sequence numbers: a miss after it must still be counted. */
  @Test
  void aMissAfterAFailedWriteIsCounted() throws Exception {
    RunResult r = watch(s -> switch (s) {
      case 1 -> FakeWatchServer.Write.FAIL;
      case 3 -> FakeWatchServer.Write.LOST;
      default -> FakeWatchServer.Write.OK;
    }, "--requests", "4");
    assertEquals(3, r.requests(), r.toText());
    assertEquals(1, r.errors(), r.toText());
    assertEquals(3, r.missedEvents(), r.toText());
  }

  /** A long poll that ends with 200 and no event is retried from where the watcher was. */
  @Test
  void aPollThatEndsWithoutAnEventIsRetriedFromTheSameIndex() throws Exception {
    RunResult r = watch(at(0, FakeWatchServer.Write.END_POLLS), "--requests", "3");
    assertEquals(3, r.requests(), r.toText());
    assertEquals(0, r.errors(), r.toText());
    assertEquals(0, r.missedEvents(), r.toText());
  }

  /** A write the server never answers ends a run by count after the answer timeout, as an error. */
  @Test
  void anUnansweredWriteEndsARunByCount() throws Exception {
    RunResult r = watch(at(1, FakeWatchServer.Write.HANG), "--requests", "3",
        "--answer-timeout", "1s");
    assertEquals(1, r.requests(), r.toText());
    assertEquals(0, r.missedEvents(), r.toText());
    assertEquals(List.of(new ErrorKinds.Kind("write: no answer", 1)), r.errorKinds(), r.toText());
  }

  /** An event a watcher has twice must not stand in for one another watcher never had. */
  @Test
  void aDuplicateEventDoesNotHideAMiss() throws Exception {
    RunResult r = watch(at(1, FakeWatchServer.Write.DUPLICATE), "--watchers", "2",
        "--requests", "3");
    assertEquals(3, r.requests(), r.toText());
    assertEquals(1, r.missedEvents(), r.toText());
    assertEquals(List.of(new ErrorKinds.Kind("watch: an event it had already", 1)),
        r.errorKinds(), r.toText());
  }

  /**
   * Watchers that re-arm later than the drain (1 s) still catch up at the end: the last writes
   * are not misses.
   */
  @Test
  void watchersThatReArmAfterTheDrainStillCatchUp() throws Exception {
    RunResult r = watch(s -> FakeWatchServer.Write.OK, "--requests", "2",
        "--rearm-after", "1500ms");
    assertEquals(2, r.requests(), r.toText());
    assertEquals(0, r.missedEvents(), r.toText());
  }

  /**
   * Watchers that fall behind catch up one poll at a time: not yet fetched is not missed. Their
   * 30 polls 100 ms apart take about 3 s, longer than the drain and re-arm window of 1.1 s.
   */
  @Test
  void watchersStillCatchingUpAtTheEndAreWaitedFor() throws Exception {
    RunResult r = watch(s -> FakeWatchServer.Write.OK, "--watchers", "2", "--requests", "30",
        "--rearm-after", "100ms");
    assertEquals(30, r.requests(), r.toText());
    assertEquals(0, r.missedEvents(), r.toText());
  }
}
