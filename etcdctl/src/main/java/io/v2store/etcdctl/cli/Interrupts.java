package io.v2store.etcdctl.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** What Go etcdctl does on signals, where it differs from the JVM's default. */
final class Interrupts {
    private static final List<String> TERMINATION = List.of("HUP", "INT", "QUIT", "TERM");

    private Interrupts() {
    }

    /** Go etcdctl exits 0 on SIGINT during watch, exec-watch and cluster-health --forever. */
    static void exitZeroOnInterrupt(Io io) {
        if (!io.standalone()) {
            return;
        }
        Signal.handle(new Signal("INT"), signal -> {
            io.flush();
            Runtime.getRuntime().halt(ExitCodes.SUCCESS);
        });
    }

    /**
     * Until the returned action runs: on SIGHUP, SIGINT, SIGQUIT or SIGTERM, run {@code cleanup} and
     * exit with {@code exitCode}. The returned action puts the previous handlers back.
     */
    static Runnable onTerminationSignals(Io io, Runnable cleanup, int exitCode) {
        if (!io.standalone()) {
            return () -> { };
        }
        final List<Runnable> undo = new ArrayList<>();
        for (String name : TERMINATION) {
            try {
                final Signal signal = new Signal(name);
                final SignalHandler previous = Signal.handle(signal, s -> {
                    cleanup.run();
                    io.flush();
                    Runtime.getRuntime().halt(exitCode);
                });
                undo.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException e) {
                // The JVM keeps some signals (QUIT for thread dumps when enabled): leave those alone.
            }
        }
        return () -> undo.forEach(Runnable::run);
    }
}
