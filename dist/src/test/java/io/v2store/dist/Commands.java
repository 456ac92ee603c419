package io.v2store.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs short commands to completion with a time bound, and long-running ones to be stopped by pid. */
final class Commands {
  record Result(int exitCode, String output) {}

  private Commands() {}

  static boolean onPath(String program) {
    try {
      return run(Path.of("."), Map.of(), 10, "sh", "-c", "command -v " + program).exitCode() == 0;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** stdout and stderr together, which is what a person reading a failure wants to see. */
  static Result run(Path dir, Map<String, String> env, long timeoutSeconds, String... command) {
    final ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(dir.toFile())
        .redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      final Process process = builder.start();
      process.getOutputStream().close();
      final byte[][] out = new byte[1][];
      final Thread reader = new Thread(() -> {
        try {
          out[0] = process.getInputStream().readAllBytes();
        } catch (IOException e) {
          out[0] = new byte[0];
        }
      });
      reader.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        stop(process.toHandle(), 5);
        throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + List.of(command));
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
      final String output = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + List.of(command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace period; by pid, never by name. */
  static boolean stop(ProcessHandle handle, long graceSeconds) {
    if (!handle.isAlive()) {
      return true;
    }
    handle.destroy();
    try {
      handle.onExit().get(graceSeconds, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      handle.destroyForcibly();
      return false;
    }
  }
}
