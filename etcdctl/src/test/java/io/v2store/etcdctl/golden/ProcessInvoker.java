package io.v2store.etcdctl.golden;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an etcdctl as a separate process (the reference binary, or ours through a JVM). */
public final class ProcessInvoker implements EtcdctlInvoker {
    private static final long COMMAND_DEADLINE_SECONDS = 60;
    private final List<String> program;

    public ProcessInvoker(List<String> program) {
        this.program = List.copyOf(program);
    }

    /** {@code ETCDCTL_API=2 /usr/bin/etcdctl}. */
    public static ProcessInvoker reference() {
        return new ProcessInvoker(List.of(ReferenceBinaries.ETCDCTL.toString()));
    }

    /** Ours, in a fresh JVM on this test's class path. */
    public static ProcessInvoker oursInJvm() {
        return new ProcessInvoker(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), "io.v2store.etcdctl.Main"));
    }

    /**
     * The same program with SIGINT's default action restored (coreutils' env, which then execs it,
     * so the pid stays the program's). A shell that starts a job in the background without job
     * control (a CI script's {@code cmd &}) has every process below it ignore SIGINT, and a
     * signal ignored when a JVM starts stays ignored: a test of what SIGINT does would then
     * test the launcher, not us.
     */
    public ProcessInvoker withDefaultSigint() {
        final List<String> wrapped = new ArrayList<>(List.of("env", "--default-signal=INT"));
        wrapped.addAll(program);
        return new ProcessInvoker(wrapped);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public ProcessBuilder builder(List<String> args) {
        final List<String> command = new ArrayList<>(program);
        command.addAll(args);
        final ProcessBuilder pb = new ProcessBuilder(command);
        cleanEnvironment(pb.environment());
        return pb;
    }

    static void cleanEnvironment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
        env.put("ETCDCTL_API", "2");
        env.put("LC_ALL", "C.UTF-8");
    }

    @Override
    public Result run(List<String> args, String stdin) throws Exception {
        final Process p = builder(args).start();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Thread outPump = pump(p.getInputStream(), out);
        final Thread errPump = pump(p.getErrorStream(), err);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The command may exit without reading its stdin.
        }
        if (!p.waitFor(COMMAND_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            throw new AssertionError("command did not finish within " + COMMAND_DEADLINE_SECONDS + " s: " + args);
        }
        outPump.join();
        errPump.join();
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), p.exitValue());
    }

    private static Thread pump(InputStream from, OutputStream to) {
        final Thread t = new Thread(() -> {
            try (from) {
                from.transferTo(to);
            } catch (IOException e) {
                // The stream closes with the process.
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
