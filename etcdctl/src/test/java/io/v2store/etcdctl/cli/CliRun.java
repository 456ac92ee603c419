package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs etcdctl in-process with the given environment, capturing what it prints. */
final class CliRun {
    record Outcome(int code, String out, String err) {
    }

    private CliRun() {
    }

    static Outcome run(Map<String, String> env, String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(args, new Io(new PrintStream(out, false, StandardCharsets.UTF_8),
                new PrintStream(err, false, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), env, false));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
