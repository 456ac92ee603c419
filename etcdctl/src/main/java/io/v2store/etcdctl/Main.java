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

    public static void main(String[] args) {
        final PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)),
                false, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err)),
                false, StandardCharsets.UTF_8);
        final int code = run(args, new Io(out, err, System.in, System.getenv(), true));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command and returns its exit code; never calls {@code System.exit}. */
    public static int run(String[] args, Io io) {
        final int code = CommandLineFactory.execute(args, io);
        io.flush();
        return code;
    }
}
