package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.v2store.testkit.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy that cannot start for an Error, not an Exception, exits 1 as a member does. The one
 * seen: a thread that cannot be made (a process limit) when a client URL after the first is bound.
 * The Error ended main, but the first listener's event loop thread, not a daemon, kept the process
 * up with nothing served (each connection reset) and no exit for a supervisor to restart it on.
 * Every event loop's thread is now started with its group, before any listener is bound, so the
 * same case is a loop's thread that cannot be made after another loop's of its group runs.
 */
class ProxyStartErrorTest {
  /** Thread limits tried, from too few for a JVM to well above what a proxy needs. */
  private static final int FEWEST_THREADS = 8;
  private static final int MOST_THREADS = 64;
  /** The JVM's warning for a group's second or later loop whose thread could not be made. */
  private static final Pattern LATER_LOOP_NOT_STARTED = Pattern.compile(
      "Failed to start the native thread for java\\.lang\\.Thread "
          + "\"multiThreadIoEventLoopGroup-\\d+-([2-9]|\\d{2,})\"");

  @TempDir
  Path tmp;

  @Test
  void aProxyThatCannotMakeAThreadAtStartExits() throws Exception {
    // RLIMIT_NPROC binds no root process: the proxy runs as nobody, keeping root's right to read
    // the class path and write its data dir. Only where the test runs as root with util-linux.
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run as nobody");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv"))
        && Files.isExecutable(Path.of("/usr/bin/prlimit")), "needs setpriv and prlimit");
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 3; i++) urls.add("http://127.0.0.1:" + LoopbackPorts.next());
    boolean stoppedWithALoopRunning = false;
    for (int threads = FEWEST_THREADS; threads <= MOST_THREADS; threads++) {
      Path log = tmp.resolve("proxy-" + threads + ".log");
      List<String> command = new ArrayList<>(List.of("/usr/bin/prlimit",
          "--nproc=" + threads + ":" + threads, "/usr/bin/setpriv", "--reuid=65534",
          "--regid=65534", "--clear-groups", "--inh-caps=+dac_read_search,+dac_override",
          "--ambient-caps=+dac_read_search,+dac_override",
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djava.library.path=" + System.getProperty("java.library.path"), "-Xmx64m",
          "-XX:ErrorFile=" + tmp.resolve("hs_err_%p.log"), // a JVM with too few threads to start
          // no thread made on the JVM's own schedule (a collector's or a compiler's), so that
          // some limit stops the start at a listener's thread after another listener's
          "-XX:+UseSerialGC", "-XX:-UseDynamicNumberOfCompilerThreads", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"),
          "io.v2store.server.EtcdMain", "--proxy", "on", "--name", "p",
          "--data-dir", tmp.resolve("proxy-" + threads).toString(),
          "--listen-client-urls", String.join(",", urls),
          "--initial-cluster", "m=http://127.0.0.1:" + LoopbackPorts.next()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().remove("NOTIFY_SOCKET");
      Process proxy = builder.start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (proxy.isAlive() && !servesAll(Files.readString(log), urls)
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        if (!proxy.isAlive()) {
          String said = Files.readString(log);
          assertEquals(1, proxy.waitFor(), said);
          // too few threads for this start: it said so and exited, here with a non-daemon
          // event loop thread already running (a listener's, or an earlier loop's of its group)
          stoppedWithALoopRunning |= said.contains("listening for client requests on ")
              || LATER_LOOP_NOT_STARTED.matcher(said).find();
          continue;
        }
        String said = Files.readString(log);
        if (servesAll(said, urls)) { // enough threads
          assertTrue(stoppedWithALoopRunning,
              "no limit stopped the start with an event loop thread running");
          return;
        }
        fail("with at most " + threads + " threads the proxy neither serves nor exits:\n" + said);
      } finally {
        proxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    fail("the proxy did not start with " + MOST_THREADS + " threads either: "
        + Files.readString(tmp.resolve("proxy-" + MOST_THREADS + ".log")));
  }

  private static boolean servesAll(String log, List<String> urls) {
    return urls.stream().allMatch(url -> log.contains("listening for client requests on " + url));
  }
}
