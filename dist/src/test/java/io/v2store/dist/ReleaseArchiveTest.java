package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive a user downloads: its layout, and a member and etcdctl run from it alone. */
class ReleaseArchiveTest {
  /** What lib/native must hold: RocksDB's library and Netty's epoll transport's. */
  private static final List<String> NATIVE_LIBRARIES =
      List.of("librocksdbjni-linux64.so", "libnetty_transport_native_epoll_x86_64.so");

  @Test
  void archiveHoldsLaunchersJarsAndReadme() throws Exception {
    final Path home = UnpackedRelease.home();
    assertTrue(Files.isExecutable(home.resolve("bin/etcd")), "bin/etcd is executable");
    assertTrue(Files.isExecutable(home.resolve("bin/etcdctl")), "bin/etcdctl is executable");
    assertTrue(Files.isRegularFile(home.resolve("README.md")), "README.md is there");
    assertTrue(Files.isRegularFile(home.resolve("deploy/systemd/v2store.service")), "deploy/ travels along");
    assertTrue(Files.isExecutable(home.resolve("deploy/exec-watch/render-upstream.sh")), "scripts stay executable");
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      final List<String> jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
      for (String prefix : List.of("server-", "http-api-", "storage-", "raft-", "etcdctl-", "picocli-",
          "rocksdbjni-", "netty-codec-http-", "jackson-dataformat-yaml-")) {
        assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix) && j.endsWith(".jar")),
            "lib/ holds " + prefix + "*.jar: " + jars);
      }
      // (jackson-dataformat-yaml was a test jar here until --config-file made it the server's)
      assertTrue(jars.stream().noneMatch(j -> j.startsWith("junit-") || j.startsWith("jqwik")
              || j.startsWith("opentest4j") || j.startsWith("testkit-")),
          "no test jars in lib/: " + jars);
    }
    for (String library : NATIVE_LIBRARIES) {
      assertTrue(Files.isRegularFile(home.resolve("lib/native/" + library)),
          library + " ships unpacked, so no start copies it to /tmp");
    }
  }

  @Test
  void memberStartedFromTheArchiveServesItsEtcdctlAndStopsOnSigterm(@TempDir Path work)
      throws IOException {
    final Path home = UnpackedRelease.home();
    // A JAVA_OPTS flag that ends in "GC" but is no collector leaves the launcher's collector.
    try (MemberProcess member = MemberProcess.start(home, work,
        Map.of("V2STORE_HEAP", "96m", "JAVA_OPTS", "-XX:+UseMaximumCompactionOnSystemGC"))) {
      assertTrue(Deadline.await(Duration.ofSeconds(60), member::healthy),
          "member became healthy; log:\n" + member.logText());

      // The launcher execs: the pid we started is the JVM itself, with the heap from V2STORE_HEAP.
      final ProcessHandle.Info info = member.process.toHandle().info();
      assertTrue(info.command().orElse("").endsWith("/java"), "pid runs java: " + info.command());
      final List<String> args = Arrays.asList(info.arguments().orElse(new String[0]));
      assertTrue(args.contains("-Xmx96m") && args.contains("-Xms96m"), "heap flags: " + args);
      assertTrue(args.contains("-XX:+UseParallelGC"), "the default collector: " + args);
      assertTrue(args.stream().anyMatch(a -> a.startsWith("-Djava.library.path=")
          && a.endsWith("/lib/native")), "the native libraries from lib/native: " + args);
      // The flag alone is not enough: were a file misnamed, RocksDB would quietly inflate a copy
      // into /tmp on every start (left there by a SIGKILL), and Netty would copy its own there,
      // or fall back to the JDK's NIO where /tmp is mounted noexec.
      final String maps = Files.readString(Path.of("/proc", Long.toString(member.process.pid()), "maps"));
      for (String name : NATIVE_LIBRARIES) {
        final String library = home.toRealPath().resolve("lib/native/" + name).toString();
        assertTrue(maps.contains(library), name + " is mapped from " + library);
      }
      assertEquals(trimsNativeHeap(Path.of(info.command().orElseThrow())),
          args.contains("-XX:TrimNativeHeapInterval=1000"),
          "the native heap is trimmed exactly where the JDK can: " + args);

      final String endpoint = "--endpoints=" + member.clientUrl;
      final String etcdctl = home.resolve("bin/etcdctl").toString();
      final Commands.Result set = Commands.run(work, Map.of(), 60, etcdctl, endpoint,
          "set", "/dist/check", "from the archive");
      assertEquals(0, set.exitCode(), set.output());
      final Commands.Result get = Commands.run(work, Map.of(), 60, etcdctl, endpoint, "get", "/dist/check");
      assertEquals(0, get.exitCode(), get.output());
      assertEquals("from the archive", get.output().strip());

      assertTrue(Commands.stop(member.process.toHandle(), 20),
          "SIGTERM stopped the member within 20 s; log:\n" + member.logText());
    }
  }

  @Test
  void cdsArchiveIsWrittenAtTheFirstStopWithoutTheJvmsWarningsInTheLog(@TempDir Path work)
      throws IOException {
    final Path home = UnpackedRelease.home();
    final Path archive = work.resolve("server.jsa");
    final Map<String, String> env = Map.of("V2STORE_HEAP", "96m", "V2STORE_CDS", archive.toString());
    try (MemberProcess member = MemberProcess.start(home, work, env)) {
      assertTrue(Deadline.await(Duration.ofSeconds(60), member::healthy),
          "member became healthy; log:\n" + member.logText());
      assertTrue(Commands.stop(member.process.toHandle(), 30), "stopped; log:\n" + member.logText());
      assertTrue(Files.isRegularFile(archive), "the first stop wrote " + archive);
      // The classes CDS cannot archive (verification failures, JFR classes) are nothing an
      // operator can act on; journald would otherwise get a screenful of them at this stop.
      assertTrue(member.logText().lines().noneMatch(l -> l.contains("[cds")),
          "no CDS warnings among the server's log lines:\n" + member.logText());
    }
  }

  /** Whether the JDK of this java has -XX:TrimNativeHeapInterval (17.0.9+, 21.0.1+, 22+). */
  private static boolean trimsNativeHeap(Path java) throws IOException {
    final Path release = java.toRealPath().getParent().getParent().resolve("release");
    final Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)(?:\\.\\d+)?(?:\\.(\\d+))?")
        .matcher(Files.readString(release));
    assertTrue(m.find(), "a JAVA_VERSION in " + release);
    final int major = Integer.parseInt(m.group(1));
    final int patch = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return major >= 22 || (major == 21 && patch >= 1) || (major == 17 && patch >= 9);
  }
}
