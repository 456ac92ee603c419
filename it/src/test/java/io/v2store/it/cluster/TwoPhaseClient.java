package io.v2store.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A client program run across a fault, as the failover tests run python-etcd's and etcd's Go
 * client: it prints a line starting "phase 1 done" and waits for a line on stdin; the test does
 * the damage meanwhile; the program then carries on and prints one JSON line, its result. Its
 * stdout and stderr go to files so that a failure can show them. Closing kills it if it still runs.
 */
final class TwoPhaseClient implements AutoCloseable {
  private static final long FIRST_PHASE_MILLIS = 60_000;
  private static final long SECOND_PHASE_SECONDS = 60;

  private final String name;
  private final Process process;
  private final Path out;
  private final Path err;

  /** Starts {@code builder} with its stdout and stderr written to {@code out} and {@code err}. */
  TwoPhaseClient(String name, ProcessBuilder builder, Path out, Path err) throws IOException {
    this.name = name;
    this.out = out;
    this.err = err;
    this.process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }

  /** Waits for the first phase to end; returns what the program printed up to then. */
  String awaitFirstPhase() {
    ClusterPoll.require(FIRST_PHASE_MILLIS, name + "'s first phase",
        () -> read(out).contains("phase 1 done") || !process.isAlive());
    assertTrue(process.isAlive(), () -> name + " exited early:\n" + output());
    return read(out);
  }

  /** Lets the program go on, waits for it to exit 0, and returns its last line, parsed. */
  JsonNode finish() throws IOException, InterruptedException {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write("go on\n".getBytes(StandardCharsets.US_ASCII));
    }
    assertTrue(process.waitFor(SECOND_PHASE_SECONDS, TimeUnit.SECONDS), () -> name + " hung:\n" + output());
    assertEquals(0, process.exitValue(), () -> name + " failed:\n" + output());
    String[] lines = read(out).strip().split("\n");
    return new ObjectMapper().readTree(lines[lines.length - 1]);
  }

  /** Everything the program printed, stdout then stderr, for a failure's message. */
  String output() {
    return read(out) + read(err);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
