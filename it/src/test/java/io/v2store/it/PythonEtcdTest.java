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
 * python-etcd's whole surface (keys, TTLs, compare-and-swap, in-order keys, watches and their
 * timeouts, the lock recipe, users and roles, members, stats) run by
 * {@code python-etcd/session.py} against the real etcd and against the candidate: the two
 * transcripts, which print indexes relative to the session's first write, must be the same.
 */
class PythonEtcdTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void sameTranscriptAsWithEtcd() {
        PythonEtcd.require();
        RealEtcd.requireBinary();
        List<String> expected;
        List<String> actual;
        try (ServerPair servers = ServerPair.start("n1", "python-etcd")) {
            // the two sessions share nothing (a server each) and mostly wait on their servers
            // and on the script's own pauses: run side by side, they take the time of one
            CompletableFuture<List<String>> onEtcd = SideBySide.start("python-etcd-session",
                () -> session(servers.reference()));
            actual = session(servers.candidate());
            expected = SideBySide.join(onEtcd);
        }
        // The script's last step must have run: a transcript cut short proves nothing.
        assertTrue(expected.size() > 80 && expected.get(expected.size() - 1).startsWith("delete missing role "),
            () -> "etcd's transcript is incomplete:\n" + String.join("\n", expected));
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    private static List<String> session(ServerUnderTest server) {
        try {
            Path out = Files.createTempFile("python-etcd-out-", ".txt");
            Path err = Files.createTempFile("python-etcd-err-", ".txt");
            try {
                Process p = PythonEtcd.command("session.py", List.of(server.clientUrl().toString()), err)
                    .redirectOutput(out.toFile()).start();
                if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    Processes.kill9(p.pid());
                    throw new AssertionError("session.py against " + server.label() + " still running after "
                        + TIMEOUT + ":\n" + Files.readString(out) + Files.readString(err));
                }
                assertEquals(0, p.exitValue(), () -> "session.py against " + server.label() + " failed:\n"
                    + Processes.tail(err, 4000));
                return Files.readAllLines(out, StandardCharsets.UTF_8);
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
