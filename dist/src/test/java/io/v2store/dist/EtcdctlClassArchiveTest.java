package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release's bin/etcdctl makes its class-data archive on its first run with a JDK, uses it
 * on every later run, makes it again for another JDK, and never uses one a JDK did not make.
 * Each run goes through a java wrapper that records whether it was asked to dump or to run, and
 * logs where a run loaded its classes from.
 */
class EtcdctlClassArchiveTest {
  @TempDir Path work;
  private Path home;
  private Path java;
  private Path calls;
  private Path classes;

  @BeforeEach
  void copyEtcdctlOutOfTheRelease() throws IOException {
    // A copy of its own: the runs here write into lib/, which other tests' release shares.
    final Path release = UnpackedRelease.home();
    home = work.resolve("release");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));
    Files.copy(release.resolve("bin/etcdctl"), home.resolve("bin/etcdctl"));
    try (Stream<Path> lib = Files.list(release.resolve("lib"))) {
      for (Path file : lib.filter(p -> p.getFileName().toString().matches(
          "(etcdctl-.*|picocli-.*)\\.jar|etcdctl\\.classlist")).toList()) {
        Files.copy(file, home.resolve("lib").resolve(file.getFileName()));
      }
    }
    calls = work.resolve("calls.log");
    classes = work.resolve("classes.log");
    final String realJava = ProcessHandle.current().info().command().orElseThrow();
    java = work.resolve("jdk/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, "#!/bin/bash\n"
        + "case \" $* \" in\n"
        + "  *' -Xshare:dump '*) echo dump >>'" + calls + "'\n"
        + "    [ -z \"${FAIL_DUMP:-}\" ] || exit 1\n"
        + "    exec '" + realJava + "' \"$@\" ;;\n"
        + "esac\n"
        + "echo run >>'" + calls + "'\n"
        + "args=()\n"
        + "for a in \"$@\"; do\n"
        + "  [ \"$a\" = io.v2store.etcdctl.Main ] && args+=(-Xlog:class+load=info:file='" + classes + "')\n"
        + "  args+=(\"$a\")\n"
        + "done\n"
        + "exec '" + realJava + "' \"${args[@]}\"\n");
    assertTrue(java.toFile().setExecutable(true));
  }

  @Test
  void firstRunDumpsTheArchiveAndLaterRunsLoadPicocliFromIt() throws IOException {
    version(Map.of());
    assertEquals(List.of("dump", "run"), takeCalls(), "the first run dumps, then runs");
    assertTrue(Files.isRegularFile(home.resolve("lib/etcdctl.jsa")), "lib/etcdctl.jsa written");
    assertTrue(Files.readString(home.resolve("lib/etcdctl.jsa.id")).strip().endsWith(" ok"),
        Files.readString(home.resolve("lib/etcdctl.jsa.id")));
    assertPicocliFrom("source: shared objects file");

    version(Map.of());
    assertEquals(List.of("run"), takeCalls(), "a later run only runs");
    assertPicocliFrom("source: shared objects file");

    // Another java (here the same wrapper, changed): its own archive, dumped again.
    touch(java);
    version(Map.of());
    assertEquals(List.of("dump", "run"), takeCalls(), "another java dumps its own");
    assertPicocliFrom("source: shared objects file");
  }

  @Test
  void aFailedDumpIsRecordedAndTheArchiveOfAnotherJavaIsNeverUsed() throws IOException {
    version(Map.of());
    assertEquals(List.of("dump", "run"), takeCalls());
    touch(java);
    // The dump fails: the command still answers, from the jars, not the other java's archive.
    version(Map.of("FAIL_DUMP", "1"));
    assertEquals(List.of("dump", "run"), takeCalls(), "the new java tries once");
    assertPicocliFrom("source: file:" + home.resolve("lib"));
    assertTrue(Files.readString(home.resolve("lib/etcdctl.jsa.id")).strip().endsWith(" failed"),
        Files.readString(home.resolve("lib/etcdctl.jsa.id")));
    version(Map.of("FAIL_DUMP", "1"));
    assertEquals(List.of("run"), takeCalls(), "and not again while it is the same java");
    assertPicocliFrom("source: file:" + home.resolve("lib"));
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      final List<String> left = lib.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("etcdctl\\.jsa.*\\.\\d+")).toList();
      assertEquals(List.of(), left, "no temporary files left in lib/");
    }
  }

  private void version(Map<String, String> env) {
    final Map<String, String> all = new java.util.HashMap<>(env);
    all.put("JAVA", java.toString());
    final Commands.Result result = Commands.run(work, all, 60, home.resolve("bin/etcdctl").toString(), "--version");
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("etcdctl version"), result.output());
  }

  private List<String> takeCalls() throws IOException {
    final List<String> lines = Files.readAllLines(calls);
    Files.delete(calls);
    return lines;
  }

  private void assertPicocliFrom(String source) throws IOException {
    final List<String> lines = Files.readAllLines(classes).stream()
        .filter(l -> l.contains(" picocli.CommandLine source: ")).toList();
    assertEquals(1, lines.size(), "picocli.CommandLine loaded once: " + lines);
    assertTrue(lines.get(0).contains(source), lines.get(0));
  }

  /** A later modification time, as a JDK's update or another JDK gives its java. */
  private static void touch(Path file) throws IOException {
    Files.setLastModifiedTime(file,
        FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
  }
}
