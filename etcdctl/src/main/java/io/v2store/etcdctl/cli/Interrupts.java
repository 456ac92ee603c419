package io.v2store.etcdctl.cli;

import sun.misc.Signal;

/** Go etcdctl exits 0 on SIGINT during watch, exec-watch and cluster-health --forever. */
final class Interrupts {
    private Interrupts() {
    }

    static void exitZeroOnInterrupt(Io io) {
        if (!io.standalone()) {
            return;
        }
        Signal.handle(new Signal("INT"), signal -> {
            io.flush();
            Runtime.getRuntime().halt(ExitCodes.SUCCESS);
        });
    }
}
