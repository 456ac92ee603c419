package io.v2store.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of Debian's {@code ETCDCTL_API=2 /usr/bin/etcdctl}: what it printed and its exit code. */
record EtcdctlRun(List<String> args, int exitCode, String stdout, String stderr) {

    static final Path BINARY = Path.of("/usr/bin/etcdctl");
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    static EtcdctlRun run(String endpoint, List<String> args) {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--endpoints", endpoint));
        command.addAll(args);
        try {
            Path out = Files.createTempFile("etcdctl-out-", ".txt");
            Path err = Files.createTempFile("etcdctl-err-", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                builder.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL"));
                builder.environment().put("ETCDCTL_API", "2");
                Process process = builder.start();
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    Processes.kill9(process.pid());
                    return new EtcdctlRun(args, -1, Files.readString(out), "timed out after " + TIMEOUT);
                }
                return new EtcdctlRun(args, process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
