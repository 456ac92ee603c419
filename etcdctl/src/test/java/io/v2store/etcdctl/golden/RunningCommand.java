package io.v2store.etcdctl.golden;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A long-running etcdctl (watch, exec-watch) whose stdout lines are collected as they arrive. */
public final class RunningCommand implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stderrReader;

    public RunningCommand(ProcessInvoker invoker, List<String> args) throws IOException {
        this.process = invoker.builder(args).start();
        process.getOutputStream().close();
        reader("stdout", new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                true);
        stderrReader = reader("stderr", new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                false);
    }

    private Thread reader(String name, BufferedReader in, boolean toQueue) {
        final Thread t = new Thread(() -> {
            try (in) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (toQueue) {
                        lines.add(line);
                    } else {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // closed with the process
            }
        }, "etcdctl-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The next stdout line, or null if none arrives within the deadline. */
    public String nextLine(long timeoutMillis) throws InterruptedException {
        return lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    public String stderr() {
        return stderr.toString();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the process to exit on its own; null if it did not within the deadline. Once it
     * has, what it wrote to stderr is read to the end before this returns: the reader thread
     * could still be behind the exit (seen in CI, an empty stderr for a process that had written).
     */
    public Integer awaitExit(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        stderrReader.join(timeoutMillis);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
