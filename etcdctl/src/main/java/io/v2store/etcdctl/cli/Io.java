package io.v2store.etcdctl.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** The process surroundings a command may touch, passed in so tests can run commands in-process. */
/**
 * {@code standalone} is true when this is the whole process (signals may be handled, children inherit
 * our file descriptors), false when a test runs a command inside its own JVM.
 */
public record Io(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, boolean standalone) {
    public String env(String name) {
        final String value = env.get(name);
        return value == null ? "" : value;
    }

    public void flush() {
        out.flush();
        err.flush();
    }
}
