package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.server.config.ConfigLoader;
import io.v2store.server.config.LoadResult;
import io.v2store.server.config.ServerConfig;
import io.v2store.storage.log.RocksDbLog;
import io.v2store.testkit.LoopbackPorts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails once Raft runs, in a process that goes on (a test, a program that embeds a
 * member), closes what it started: no raft thread left, the peer and client ports free, the log
 * (and its lock) closed so that the next start on that data dir can open it.
 */
class FailedStartTest {
  @TempDir
  Path tmp;

  @Test
  void aStartInterruptedWhileItWaitsForAQuorumLeavesNothingRunning() throws Exception {
    // n2 never starts: n1 runs Raft, then waits to publish itself, which needs n2's vote.
    String client = "http://127.0.0.1:" + LoopbackPorts.next();
    String peer = "http://127.0.0.1:" + LoopbackPorts.next();
    String absent = "http://127.0.0.1:" + LoopbackPorts.next();
    Path data = tmp.resolve("n1.etcd");
    ServerConfig config = ((LoadResult.Run) ConfigLoader.load(new String[] {"--name", "n1",
        "--data-dir", data.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "n1=" + peer + ",n2=" + absent}, Map.of())).config();

    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    Thread starting = new Thread(() -> {
      try {
        EtcdMember member = EtcdMember.start(config, e -> { });
        member.close();
        failed.complete(null);
      } catch (Throwable e) {
        failed.complete(e);
      }
    }, "starting-n1");
    starting.start();
    await(() -> raftThreadRuns() && inPublish(starting), "the start to wait for a quorum");
    starting.interrupt();
    starting.join(Duration.ofSeconds(30).toMillis());
    assertFalse(starting.isAlive(), "the start went on after its interrupt");
    assertInstanceOf(InterruptedException.class, failed.getNow(null));

    await(() -> !raftThreadRuns(), "the raft thread to end");
    ListenersFirstTest.assertFreeAgain(URI.create(peer));
    ListenersFirstTest.assertFreeAgain(URI.create(client));
    RocksDbLog.openExisting(data.resolve("member").resolve("raft"), Optional.empty()).close();
  }

  private static boolean raftThreadRuns() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("raft-n1") && t.isAlive());
  }

  private static boolean inPublish(Thread thread) {
    return Arrays.stream(thread.getStackTrace()).anyMatch(f ->
        f.getClassName().equals(MembershipChanges.class.getName())
            && f.getMethodName().equals("publish"));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "waited 60 s for " + what);
      Thread.sleep(20);
    }
  }
}
