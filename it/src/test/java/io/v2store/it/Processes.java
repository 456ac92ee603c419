package io.v2store.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** Stopping child processes by pid and removing their directories. */
final class Processes {

    private Processes() {
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL and wait for the exit. */
    static void stop(long pid, Duration grace) {
        ProcessHandle.of(pid).ifPresent(handle -> {
            handle.destroy();
            if (!Poll.until(grace, () -> !handle.isAlive())) {
                kill9(pid);
            }
        });
    }

    /** SIGKILL and wait (bounded) until the process is gone. */
    static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(handle -> {
            handle.destroyForcibly();
            Poll.require(Duration.ofSeconds(10), "pid " + pid + " to die after SIGKILL", () -> !handle.isAlive());
        });
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code maxChars} of a log file, for failure messages. */
    static String tail(Path log, int maxChars) {
        try {
            String text = Files.exists(log) ? Files.readString(log) : "";
            return text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
