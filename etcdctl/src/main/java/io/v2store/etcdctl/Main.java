package io.v2store.etcdctl;

import io.v2store.etcdctl.cli.CommandLineFactory;
import io.v2store.etcdctl.cli.Io;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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

    public static void main(String[] args) throws InterruptedException {
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
