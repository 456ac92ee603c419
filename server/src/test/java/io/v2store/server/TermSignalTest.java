package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM ends the member by the signal after its graceful stop, as etcd's does: systemd counts
 * a JVM's exit with status 143 as a failure under a unit without SuccessExitStatus=143 (Debian's
 * etcd.service), and a death by SIGTERM as a clean stop.
 */
class TermSignalTest {
  @TempDir Path dir;

  /**
   * A parent that says how its child ended, since Java's Process folds a death by signal n into
   * the status 128+n. Perl, because Debian's perl-base is always installed.
   */
  private static final List<String> REPORTING_PARENT = List.of("/usr/bin/perl", "-e",
      "my $p = fork(); if (!$p) { exec @ARGV or die \"exec: $!\"; } waitpid($p, 0);"
          + " print \"child ended: signal \", ($? & 127), \", status \", ($? >> 8), \"\\n\";");

  @Test
  void sigtermStopsTheMemberGracefullyThenEndsItByTheSignal() throws Exception {
    assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/perl")), "perl is missing");
    try (ServerProcess member = new ServerProcess(dir.resolve("n1"), List.of())
        .withParent(REPORTING_PARENT)) {
      member.start("n1=" + member.peerUrl(), "new");
      assertEquals(201, Http.put(member, "/v2/keys/k", "value=v").statusCode());
      ProcessHandle jvm = member.processHandle().children().findFirst().orElseThrow();
      assertTrue(jvm.destroy(), "SIGTERM sent"); // destroy() is SIGTERM
      assertTrue(member.awaitExit(Duration.ofSeconds(30)), member.logTail());
      String log = member.log();
      assertTrue(log.contains("n1: stopping"), "the graceful stop ran first:\n" + log);
      assertTrue(log.contains("child ended: signal 15, status 0"), log);
    }
  }

  @Test
  void theStopRunsOnceAndLaterCallersWaitForIt() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Runnable once = TermSignal.onceOnly(() -> {
      runs.incrementAndGet();
      inside.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Thread first = new Thread(once);
    first.start();
    assertTrue(inside.await(10, TimeUnit.SECONDS));
    List<Boolean> secondReturned = new ArrayList<>();
    Thread second = new Thread(() -> {
      once.run();
      synchronized (secondReturned) {
        secondReturned.add(true);
      }
    });
    second.start();
    second.join(200); // not a timing assertion: it must still be waiting whatever the delay
    synchronized (secondReturned) {
      assertTrue(secondReturned.isEmpty(), "a second SIGTERM must not end the stop under way");
    }
    release.countDown();
    first.join(10_000);
    second.join(10_000);
    assertEquals(1, runs.get());
    assertEquals(List.of(true), secondReturned);
  }
}
