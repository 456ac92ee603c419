package io.v2store.server;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM as etcd takes it: the graceful stop, then death by the signal itself. The JVM's own
 * handler runs the shutdown hooks and exits with status 143 instead, which systemd counts as a
 * failure: with ours in place of etcd under Debian's etcd.service (no SuccessExitStatus=143),
 * every `systemctl stop` or restart left the unit "failed", as etcd's stop never does (systemd
 * takes a death by SIGTERM as a clean stop). A shell sees 143 either way.
 */
final class TermSignal {
  private static final Logger LOG = Logger.getLogger("etcd");

  private TermSignal() {}

  /**
   * Makes stop (also the shutdown hook's, for other exits: SIGINT, System.exit) run once, and
   * on SIGTERM run it and then die by SIGTERM. Returns the once-only stop for that hook.
   */
  static Runnable install(Runnable stop) {
    Runnable once = onceOnly(stop);
    if (archivingClassesAtExit()) {
      // The class-data archive (the launchers' V2STORE_CDS) is written as the JVM exits, which
      // a death by signal skips: this one run keeps the JVM's exit (status 143).
      return once;
    }
    Signal term = new Signal("TERM");
    Signal.handle(term, signal -> {
      once.run(); // a second SIGTERM waits here for the first's stop, as etcd ignores it
      dieBy(term);
    });
    return once;
  }

  /**
   * Sends the signal again with its default action. The JDK raises only a signal it handles, so
   * the shell's kill sends it; where that fails, the JVM's own exit status stands in.
   */
  private static void dieBy(Signal term) {
    Signal.handle(term, SignalHandler.SIG_DFL);
    try {
      new ProcessBuilder("/bin/sh", "-c", "kill -TERM " + ProcessHandle.current().pid())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start().waitFor();
      Thread.sleep(5_000); // the signal is on its way: this process ends long before
    } catch (java.io.IOException | InterruptedException e) {
      LOG.warning("cannot end by SIGTERM (" + e + "); exiting with 143");
    }
    Runtime.getRuntime().halt(128 + term.getNumber());
  }

  /** Runs stop on the first call; later calls, from any thread, wait until it has ended. */
  static Runnable onceOnly(Runnable stop) {
    AtomicBoolean started = new AtomicBoolean();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    return () -> {
      if (started.compareAndSet(false, true)) {
        try {
          stop.run();
        } catch (RuntimeException | Error e) {
          LOG.severe("stopping failed: " + e);
        } finally {
          ended.complete(null);
        }
      } else {
        ended.join();
      }
    };
  }

  private static boolean archivingClassesAtExit() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit"));
  }
}
