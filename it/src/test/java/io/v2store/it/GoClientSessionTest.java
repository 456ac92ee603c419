package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Go programs run against the real etcd and against the candidate, whose two transcripts, which
 * print indexes relative to the session's first write, must be the same: one on etcd's own v2
 * client library ({@code go-client/session.go}: members and sync, every kind of write and its
 * errors, refresh, in-order keys, odd keys, watches that outlive the client's header timeout, a
 * recursive watcher that keeps going, the history's edge), and one on Docker's libkv
 * ({@code go-client/libkv.go}: Swarm's node discovery, libnetwork's atomic writes, watches of a key
 * and a tree, and locks held by refreshes, handed over on unlock and on expiry).
 */
class GoClientSessionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void sameTranscriptAsWithEtcd() throws IOException {
        GoClient.require();
        compare("session", 100);
    }

    @Test
    void libkvSameTranscriptAsWithEtcd() throws IOException {
        GoClient.requireLibkv();
        compare("libkv", 40);
    }

    /** Runs {@code go-client/<program>.go} against both; etcd's transcript must have over minLines lines. */
    private static void compare(String program, int minLines) throws IOException {
        RealEtcd.requireBinary();
        Path dir = Files.createTempDirectory("go-client-");
        try {
            // compiling takes seconds, as does starting the two servers: side by side
            CompletableFuture<Path> built = SideBySide.start("go-build", () -> GoClient.build(program, dir));
            List<String> expected;
            List<String> actual;
            try (ServerPair servers = ServerPair.start("n1", "go-client")) {
                Path session = SideBySide.join(built);
                CompletableFuture<List<String>> onEtcd = SideBySide.start("go-" + program,
                    () -> session(session, servers.reference(), dir));
                actual = session(session, servers.candidate(), dir);
                expected = SideBySide.join(onEtcd);
            }
            // The session's last step must have run: a transcript cut short proves nothing.
            assertTrue(expected.size() > minLines && expected.get(expected.size() - 1).equals("end of session"),
                () -> "etcd's transcript is incomplete:\n" + String.join("\n", expected));
            assertEquals(String.join("\n", expected), String.join("\n", actual));
        } finally {
            Processes.deleteTree(dir);
        }
    }

    private static List<String> session(Path binary, ServerUnderTest server, Path dir) {
        try {
            Path out = Files.createTempFile(dir, "out-", ".txt");
            Path err = Files.createTempFile(dir, "err-", ".txt");
            Process p = new ProcessBuilder(binary.toString(), server.clientUrl().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                Processes.kill9(p.pid());
                throw new AssertionError("the Go program against " + server.label() + " still running after "
                    + TIMEOUT + ":\n" + Files.readString(out) + Files.readString(err));
            }
            assertEquals(0, p.exitValue(), () -> "the Go program against " + server.label() + " failed:\n"
                + Processes.tail(out, 4000) + Processes.tail(err, 4000));
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
