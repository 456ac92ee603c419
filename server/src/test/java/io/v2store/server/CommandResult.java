package io.v2store.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One finished command line (curl, an etcdctl): its exit code, stdout and stderr. */
record CommandResult(int exit, String out, String err) {

  static CommandResult run(Map<String, String> env, List<String> command) throws Exception {
    Path out = Files.createTempFile("cmd", ".out");
    Path err = Files.createTempFile("cmd", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        throw new IOException("did not finish within 30 s: " + command);
      }
      return new CommandResult(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Override
  public String toString() {
    return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
  }
}
