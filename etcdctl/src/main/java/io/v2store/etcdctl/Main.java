package io.v2store.etcdctl;

import io.v2store.etcdctl.cli.CommandLineFactory;
import io.v2store.etcdctl.cli.Io;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import sun.misc.Signal;

/** etcdctl for the v2 API: a drop-in for {@code ETCDCTL_API=2 etcdctl} (3.4.23). */
public final class Main {
    private Main() {
    }

    /**
     * Reading and printing a listing takes stack frames per level, and a key may be as deep as
     * its path is long (etcd serves about 2,000 levels, which Go's etcdctl lists): the command
     * runs on a thread whose stack holds that many before the JIT has compiled anything. Only
     * what is used of it is ever backed by memory.
     */
    static final long COMMAND_STACK_BYTES = 64L << 20;

    /**
     * Set by bin/etcdctl when it was started with SIGINT ignored: it then starts the JVM with
     * SIGINT's default action, so that watch and exec-watch can still exit 0 on it as Go's etcdctl
     * does; every other command disregards it, as Go's does.
     */
    static final String SIGINT_IGNORED_PROPERTY = "etcdctl.sigintIgnored";

    public static void main(String[] args) throws InterruptedException {
        if (Boolean.getBoolean(SIGINT_IGNORED_PROPERTY)) {
            // A handler that does nothing, not SIG_IGN: the JVM refuses any handler for a signal
            // that is ignored, and watch replaces this one with its own.
            Signal.handle(new Signal("INT"), signal -> { });
        }
        final PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)),
                false, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err)),
                false, StandardCharsets.UTF_8);
        final int[] code = {1};
        final Thread command = new Thread(null,
                () -> code[0] = run(args, new Io(out, err, System.in, System.getenv(), true)),
                "etcdctl", COMMAND_STACK_BYTES);
        command.start();
        command.join();
        out.flush();
        err.flush();
        System.exit(code[0]);
    }

    /** Runs one command and returns its exit code; never calls {@code System.exit}. */
    public static int run(String[] args, Io io) {
        final int code = CommandLineFactory.execute(args, io);
        io.flush();
        return code;
    }
}
